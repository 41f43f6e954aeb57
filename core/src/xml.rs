//! A small, bounded XML tree built on quick-xml.
//!
//! Hacienda's documents and answers are small, shallow and namespace-qualified in four different
//! ways over the years, so every reader in the core matches elements by *local name* on this
//! tree. The builder refuses DTDs (so no entity expansion and no external entities, ever), stops
//! at [`MAX_DEPTH`] levels and [`MAX_ELEMENTS`] elements, and reports truncation as an error.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::error::{Error, Result, excerpt};

/// Deepest element nesting accepted (e-invoices nest about 8 levels, signatures about 10).
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document. The schemas allow at most 1000 `LineaDetalle`
/// (about 25 000 elements); a 2000-line invoice has about 50 000. The limit keeps the tree of a
/// hostile document to a few tens of megabytes.
pub const MAX_ELEMENTS: usize = 100_000;

/// A parsed XML document.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDocument {
    /// The root element.
    pub root: Element,
    /// Namespace URI of the root element (from its `xmlns` or `xmlns:prefix` declaration).
    pub namespace: Option<String>,
    /// The `encoding` of the XML declaration, when there is one.
    pub declared_encoding: Option<String>,
    /// Number of elements in the document (skipped subtrees count as one).
    pub element_count: usize,
}

/// One attribute, with its qualified name as written (`xmlns:ds`, `Id`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Qualified name as written.
    pub name: String,
    /// Unescaped value.
    pub value: String,
}

/// One element of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Local name (`Clave`, `Signature`), shared between elements of the same name.
    pub name: Arc<str>,
    /// Prefix as written (`ds` for `ds:Signature`), if any.
    pub prefix: Option<Arc<str>>,
    /// Attributes in document order.
    pub attributes: Vec<Attribute>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Unescaped character data directly inside this element (CDATA included). Whitespace
    /// between child elements is dropped; the text of a leaf is kept exactly.
    pub text: String,
    /// Byte offset of the start tag in the decoded text.
    pub offset: u64,
    /// True when the content was not read ([`ParseOptions::skip`]).
    pub skipped: bool,
}

impl Element {
    /// First child with this local name.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| &*c.name == local)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| &*c.name == local)
    }

    /// Follows a path of local names (`["Emisor", "Identificacion", "Numero"]`).
    pub fn descend(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// Trimmed text of the element at `path`, `None` when absent or blank.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.descend(path).and_then(Element::value)
    }

    /// Trimmed text, `None` when blank.
    pub fn value(&self) -> Option<&str> {
        let t = self.text.trim();
        (!t.is_empty()).then_some(t)
    }

    /// Value of the attribute whose local name (after any prefix) is `local`.
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name.rsplit(':').next() == Some(local))
            .map(|a| a.value.as_str())
    }

    /// Depth-first search for the first descendant (or self) with this local name.
    pub fn find(&self, local: &str) -> Option<&Element> {
        if &*self.name == local {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(local))
    }
}

/// Options of [`parse_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// Local names of elements (below the root) whose content is not read: they appear in the
    /// tree as childless elements with `skipped == true`. Readers that only need to know that a
    /// `Signature` is there skip it: it is most of a signed answer.
    pub skip: &'a [&'a str],
}

/// Parses XML text into a tree.
///
/// ```
/// let doc = hacienda_core::xml::parse("<a xmlns='urn:x'><b> 1 </b></a>").unwrap();
/// assert_eq!(doc.root.text_at(&["b"]), Some("1"));
/// assert_eq!(doc.namespace.as_deref(), Some("urn:x"));
/// ```
pub fn parse(text: &str) -> Result<XmlDocument> {
    parse_with(text, ParseOptions::default())
}

/// Parses XML text into a tree, skipping the subtrees named in `options`.
pub fn parse_with(text: &str, options: ParseOptions<'_>) -> Result<XmlDocument> {
    Builder::new(text, options).run()
}

/// Converts a byte offset of `text` into a 1-based (line, column) pair.
pub fn line_col(text: &str, offset: u64) -> (usize, usize) {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// FNV-1a: element names are short and trusted to be few; SipHash costs more than the parse.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Distinct names kept by the interner; past this, names are allocated per element (a hostile
/// document cannot grow the table without bound).
const MAX_INTERNED: usize = 4096;

struct Builder<'t> {
    reader: Reader<&'t [u8]>,
    skip: &'t [&'t str],
    stack: Vec<Element>,
    root: Option<Element>,
    names: HashMap<Box<str>, Arc<str>, BuildHasherDefault<Fnv>>,
    declared_encoding: Option<String>,
    count: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, options: ParseOptions<'t>) -> Self {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Builder {
            reader,
            skip: options.skip,
            stack: Vec::new(),
            root: None,
            names: HashMap::with_capacity_and_hasher(64, BuildHasherDefault::default()),
            declared_encoding: None,
            count: 0,
        }
    }

    fn xml_error(&self, detail: impl std::fmt::Display) -> Error {
        Error::Xml {
            position: self.reader.error_position(),
            detail: excerpt(&detail.to_string()),
        }
    }

    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.names.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        if self.names.len() < MAX_INTERNED {
            self.names.insert(name.into(), shared.clone());
        }
        shared
    }

    fn run(mut self) -> Result<XmlDocument> {
        loop {
            let offset = self.reader.buffer_position();
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => return Err(self.xml_error(e)),
            };
            match event {
                Event::Start(start) => {
                    let mut el = self.open(&start, offset)?;
                    if !self.stack.is_empty() && self.skip.contains(&&*el.name) {
                        let end = start.to_end().into_owned();
                        self.reader.read_to_end(end.name()).map_err(|e| self.xml_error(e))?;
                        el.skipped = true;
                        self.close(el)?;
                    } else {
                        self.stack.push(el);
                    }
                }
                Event::Empty(start) => {
                    let el = self.open(&start, offset)?;
                    self.close(el)?;
                }
                Event::End(_) => match self.stack.pop() {
                    Some(el) => self.close(el)?,
                    None => return Err(self.xml_error("end tag without a start tag")),
                },
                Event::Text(t) => {
                    let content = t.xml10_content();
                    self.push_text(&content)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content();
                    self.push_text(&content)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) => ch.to_string(),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(self.xml_error(format!("undefined entity &{};", excerpt(&r))));
                            }
                        },
                        Err(e) => return Err(self.xml_error(e)),
                    };
                    self.push_text(&resolved)?;
                }
                Event::DocType(_) => return Err(Error::Dtd),
                Event::Decl(decl) => {
                    if let Some(Ok(enc)) = decl.encoding() {
                        self.declared_encoding = Some(excerpt(&enc));
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = self.stack.last() {
            return Err(Error::Xml {
                position: self.reader.buffer_position(),
                detail: format!("document is truncated: <{}> is never closed", excerpt(&open.name)),
            });
        }
        let root = self.root.ok_or_else(|| Error::Xml {
            position: 0,
            detail: "no root element".into(),
        })?;
        let declaration = match &root.prefix {
            Some(p) => format!("xmlns:{p}"),
            None => "xmlns".to_string(),
        };
        let namespace = root
            .attributes
            .iter()
            .find(|a| a.name == declaration)
            .map(|a| a.value.trim().to_string());
        Ok(XmlDocument {
            root,
            namespace,
            declared_encoding: self.declared_encoding,
            element_count: self.count,
        })
    }

    fn open(&mut self, start: &BytesStart<'_>, offset: u64) -> Result<Element> {
        if self.root.is_some() {
            return Err(self.xml_error("content after the root element"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error::TooComplex {
                detail: format!("more than {MAX_DEPTH} nested elements"),
            });
        }
        self.count += 1;
        if self.count > MAX_ELEMENTS {
            return Err(Error::TooComplex {
                detail: format!("more than {MAX_ELEMENTS} elements"),
            });
        }
        let qname = start.name();
        let qualified: &str = qname.as_ref();
        let (prefix, local) = match qualified.split_once(':') {
            Some((p, l)) => (Some(self.intern(p)), self.intern(l)),
            None => (None, self.intern(qualified)),
        };
        let mut attributes = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.xml_error(e))?;
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| self.xml_error(e))?;
            let name: &str = attr.key.as_ref();
            attributes.push(Attribute {
                name: name.to_string(),
                value: value.into_owned(),
            });
        }
        // Leading whitespace kept in the parent is noise once it has element children.
        if let Some(parent) = self.stack.last_mut()
            && parent.children.is_empty()
            && parent.text.trim().is_empty()
        {
            parent.text.clear();
        }
        Ok(Element {
            name: local,
            prefix,
            attributes,
            children: Vec::new(),
            text: String::new(),
            offset,
            skipped: false,
        })
    }

    fn close(&mut self, el: Element) -> Result<()> {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(el),
            None => self.root = Some(el),
        }
        Ok(())
    }

    fn push_text(&mut self, text: &str) -> Result<()> {
        match self.stack.last_mut() {
            Some(el) => {
                if el.children.is_empty() || !text.trim().is_empty() {
                    el.text.push_str(text);
                }
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(self.xml_error("text outside the root element")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_char_refs_resolve() {
        let doc = parse("<a>x &amp; y&#13;&#x41;<![CDATA[<z>]]></a>").unwrap();
        assert_eq!(doc.root.text, "x & y\rA<z>");
    }

    #[test]
    fn namespaces_resolve_by_prefix_and_default() {
        let doc = parse(
            "<m:MensajeHacienda xmlns:m='urn:m' xmlns:ds='urn:ds'><m:Clave>1</m:Clave><ds:Signature/></m:MensajeHacienda>",
        )
        .unwrap();
        assert_eq!(&*doc.root.name, "MensajeHacienda");
        assert_eq!(doc.namespace.as_deref(), Some("urn:m"));
        let sig = doc.root.child("Signature").unwrap();
        assert_eq!(sig.prefix.as_deref(), Some("ds"));
    }

    #[test]
    fn skipped_subtrees_are_kept_as_markers() {
        let xml = "<m><a>1</a><ds:Signature xmlns:ds='urn:ds'><x><Signature/></x></ds:Signature><b>2</b></m>";
        let doc = parse_with(xml, ParseOptions { skip: &["Signature"] }).unwrap();
        let sig = doc.root.child("Signature").unwrap();
        assert!(sig.skipped && sig.children.is_empty());
        assert_eq!(doc.root.text_at(&["b"]), Some("2"));
        assert_eq!(doc.element_count, 4);
        let full = parse(xml).unwrap();
        assert!(!full.root.child("Signature").unwrap().skipped);
        assert!(
            parse_with(
                "<m><Signature><x></Signature></m>",
                ParseOptions { skip: &["Signature"] }
            )
            .is_err()
        );
    }

    #[test]
    fn doctype_is_refused() {
        let bomb = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]><a>&lol2;</a>";
        assert_eq!(parse(bomb), Err(Error::Dtd));
    }

    #[test]
    fn undefined_entities_are_errors() {
        assert!(matches!(parse("<a>&lol9;</a>"), Err(Error::Xml { .. })));
    }

    #[test]
    fn depth_limit() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(parse(&deep), Err(Error::TooComplex { .. })));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn truncation_and_garbage_are_errors() {
        assert!(matches!(parse("<a><b>1</b>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a></b>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("hello"), Err(Error::Xml { .. })));
        assert!(matches!(parse(""), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a/><b/>"), Err(Error::Xml { .. })));
    }

    #[test]
    fn whitespace_between_children_is_dropped_but_leaf_text_kept() {
        let doc = parse("<a>\n  <b> </b>\n  <c>x</c>\n</a>").unwrap();
        assert_eq!(doc.root.text, "");
        assert_eq!(doc.root.child("b").unwrap().text, " ");
        assert_eq!(doc.root.text_at(&["b"]), None);
    }

    #[test]
    fn line_col_counts_from_one() {
        let text = "<a>\n <b/></a>";
        let doc = parse(text).unwrap();
        let b = doc.root.child("b").unwrap();
        assert_eq!(line_col(text, b.offset), (2, 2));
    }
}
