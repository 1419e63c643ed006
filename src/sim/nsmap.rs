//! A map of namespaced objects: namespace → name → object. Lookups take `&str`s (no key
//! allocation on the hot path), and iteration is ordered by namespace, then name.

use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct NsMap<T> {
    inner: BTreeMap<String, BTreeMap<String, T>>,
    len: usize,
}

impl<T> Default for NsMap<T> {
    fn default() -> Self {
        NsMap {
            inner: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<T> NsMap<T> {
    pub fn get(&self, ns: &str, name: &str) -> Option<&T> {
        self.inner.get(ns)?.get(name)
    }

    pub fn get_mut(&mut self, ns: &str, name: &str) -> Option<&mut T> {
        self.inner.get_mut(ns)?.get_mut(name)
    }

    pub fn contains(&self, ns: &str, name: &str) -> bool {
        self.get(ns, name).is_some()
    }

    pub fn insert(&mut self, ns: &str, name: &str, value: T) -> Option<T> {
        let old = match self.inner.get_mut(ns) {
            Some(m) => m.insert(name.to_string(), value),
            None => self
                .inner
                .entry(ns.to_string())
                .or_default()
                .insert(name.to_string(), value),
        };
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove(&mut self, ns: &str, name: &str) -> Option<T> {
        let m = self.inner.get_mut(ns)?;
        let old = m.remove(name)?;
        if m.is_empty() {
            self.inner.remove(ns);
        }
        self.len -= 1;
        Some(old)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `(namespace, name, object)`, ordered.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &T)> {
        self.inner
            .iter()
            .flat_map(|(ns, m)| m.iter().map(move |(n, v)| (ns.as_str(), n.as_str(), v)))
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.inner.values().flat_map(|m| m.values())
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.inner.values_mut().flat_map(|m| m.values_mut())
    }

    /// The objects of one namespace, ordered by name.
    pub fn in_namespace<'a>(&'a self, ns: &str) -> impl Iterator<Item = &'a T> + 'a {
        self.inner.get(ns).into_iter().flat_map(|m| m.values())
    }

    /// Namespaces that hold at least one object.
    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.inner.keys().map(String::as_str)
    }
}

impl<T> std::ops::Index<(&str, &str)> for NsMap<T> {
    type Output = T;

    /// Panics when absent, like `BTreeMap`'s index; for tests and known-present keys.
    #[allow(clippy::panic)]
    fn index(&self, (ns, name): (&str, &str)) -> &T {
        match self.get(ns, name) {
            Some(v) => v,
            None => panic!("no object {ns}/{name}"),
        }
    }
}
