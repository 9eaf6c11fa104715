//! [`InlineVec`]: the model's short lists, kept inline.

use serde::Serialize;

/// A short list kept inline up to `N` elements and on the heap beyond, read as a slice.
/// A plan has thousands of fields, dependency lists and Verify lists, nearly all of one to
/// three entries: one allocation each was a fifth of what a check spent on allocating.
#[derive(Clone)]
pub struct InlineVec<T, const N: usize> {
    len: u8,
    inline: [T; N],
    spill: Vec<T>,
}

impl<T: Default, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        InlineVec {
            len: 0,
            inline: std::array::from_fn(|_| T::default()),
            spill: Vec::new(),
        }
    }
}

impl<T: Default, const N: usize> InlineVec<T, N> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, item: T) {
        let n = usize::from(self.len);
        if self.spill.is_empty() && n < N && n < usize::from(u8::MAX) {
            self.inline[n] = item;
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill.reserve(n * 2 + 1);
                self.spill
                    .extend(self.inline[..n].iter_mut().map(std::mem::take));
            }
            self.spill.push(item);
        }
    }

    pub fn pop(&mut self) -> Option<T> {
        if self.spill.is_empty() {
            let n = usize::from(self.len.checked_sub(1)?);
            self.len -= 1;
            Some(std::mem::take(&mut self.inline[n]))
        } else {
            self.spill.pop()
        }
    }
}

impl<T, const N: usize> std::ops::Deref for InlineVec<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..usize::from(self.len)]
        } else {
            &self.spill
        }
    }
}

impl<T, const N: usize> std::ops::DerefMut for InlineVec<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        if self.spill.is_empty() {
            &mut self.inline[..usize::from(self.len)]
        } else {
            &mut self.spill
        }
    }
}

impl<T: PartialEq, const N: usize> PartialEq for InlineVec<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq, const N: usize> Eq for InlineVec<T, N> {}

impl<T: std::fmt::Debug, const N: usize> std::fmt::Debug for InlineVec<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Serialize, const N: usize> Serialize for InlineVec<T, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<T: Default, const N: usize> FromIterator<T> for InlineVec<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = Self::new();
        for i in iter {
            v.push(i);
        }
        v
    }
}

impl<T: Default, const N: usize> Extend<T> for InlineVec<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for i in iter {
            self.push(i);
        }
    }
}

impl<T: Default, const N: usize> IntoIterator for InlineVec<T, N> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(mut self) -> Self::IntoIter {
        if self.spill.is_empty() {
            let n = usize::from(self.len);
            let v: Vec<T> = self.inline[..n].iter_mut().map(std::mem::take).collect();
            v.into_iter()
        } else {
            std::mem::take(&mut self.spill).into_iter()
        }
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a InlineVec<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
