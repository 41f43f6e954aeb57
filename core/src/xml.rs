//! A small, bounded XML tree built on quick-xml.
//!
//! Hacienda's documents and answers are small, shallow and namespace-qualified in four different
//! ways over the years, so every reader in the core matches elements by *local name* on this
//! tree. The builder refuses DTDs (so no entity expansion and no external entities, ever), stops
//! at [`MAX_DEPTH`] levels and [`MAX_ELEMENTS`] elements, and reports truncation as an error.

use std::collections::HashMap;
use std::sync::Arc;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::error::{Error, Result, excerpt};

/// Deepest element nesting accepted (e-invoices nest about 8 levels, signatures about 10).
pub const MAX_DEPTH: usize = 64;
/// Most elements accepted in one document (a 2000-line invoice has about 40 000).
pub const MAX_ELEMENTS: usize = 1_000_000;

/// A parsed XML document.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDocument {
    /// The root element.
    pub root: Element,
    /// The `encoding` of the XML declaration, when there is one.
    pub declared_encoding: Option<String>,
    /// Number of elements in the document.
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
    /// Local name (`Clave`, `Signature`).
    pub name: String,
    /// Prefix as written (`ds` for `ds:Signature`), if any.
    pub prefix: Option<String>,
    /// Resolved namespace URI, if the element is in one.
    pub namespace: Option<Arc<str>>,
    /// Attributes in document order.
    pub attributes: Vec<Attribute>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Unescaped character data directly inside this element (CDATA included). Whitespace
    /// between child elements is dropped; the text of a leaf is kept exactly.
    pub text: String,
    /// Byte offset of the start tag in the decoded text.
    pub offset: u64,
}

impl Element {
    /// First child with this local name.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == local)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == local)
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
        if self.name == local {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(local))
    }
}

/// Parses XML text into a tree.
///
/// ```
/// let doc = hacienda_core::xml::parse("<a xmlns='urn:x'><b> 1 </b></a>").unwrap();
/// assert_eq!(doc.root.text_at(&["b"]), Some("1"));
/// assert_eq!(doc.root.namespace.as_deref(), Some("urn:x"));
/// ```
pub fn parse(text: &str) -> Result<XmlDocument> {
    Builder::new(text).run()
}

/// Converts a byte offset of `text` into a 1-based (line, column) pair.
pub fn line_col(text: &str, offset: u64) -> (usize, usize) {
    let end = (offset as usize).min(text.len());
    let before = text.get(..end).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Builder<'t> {
    reader: NsReader<&'t [u8]>,
    stack: Vec<Element>,
    root: Option<Element>,
    namespaces: HashMap<String, Arc<str>>,
    declared_encoding: Option<String>,
    count: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Builder {
            reader,
            stack: Vec::new(),
            root: None,
            namespaces: HashMap::new(),
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

    fn run(mut self) -> Result<XmlDocument> {
        loop {
            let offset = self.reader.buffer_position();
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((ns, event)) => (intern(&mut self.namespaces, ns), event),
                Err(e) => return Err(self.xml_error(e)),
            };
            match event {
                Event::Start(start) => {
                    let el = self.open(&start, ns, offset)?;
                    self.stack.push(el);
                }
                Event::Empty(start) => {
                    let el = self.open(&start, ns, offset)?;
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
        if !self.stack.is_empty() {
            let open = self.stack.last().map(|e| e.name.clone()).unwrap_or_default();
            return Err(Error::Xml {
                position: self.reader.buffer_position(),
                detail: format!("document is truncated: <{}> is never closed", excerpt(&open)),
            });
        }
        let root = self.root.ok_or_else(|| Error::Xml {
            position: 0,
            detail: "no root element".into(),
        })?;
        Ok(XmlDocument {
            root,
            declared_encoding: self.declared_encoding,
            element_count: self.count,
        })
    }

    fn open(&mut self, start: &BytesStart<'_>, namespace: Option<Arc<str>>, offset: u64) -> Result<Element> {
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
            Some((p, l)) => (Some(p.to_string()), l.to_string()),
            None => (None, qualified.to_string()),
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
            namespace,
            attributes,
            children: Vec::new(),
            text: String::new(),
            offset,
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

/// One shared `Arc<str>` per namespace URI (documents use two to four).
fn intern(table: &mut HashMap<String, Arc<str>>, ns: ResolveResult<'_>) -> Option<Arc<str>> {
    match ns {
        ResolveResult::Bound(n) => {
            let uri = n.into_inner();
            Some(match table.get(uri) {
                Some(shared) => shared.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(uri);
                    table.insert(uri.to_string(), shared.clone());
                    shared
                }
            })
        }
        _ => None,
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
        assert_eq!(doc.root.name, "MensajeHacienda");
        assert_eq!(doc.root.namespace.as_deref(), Some("urn:m"));
        let sig = doc.root.child("Signature").unwrap();
        assert_eq!(sig.prefix.as_deref(), Some("ds"));
        assert_eq!(sig.namespace.as_deref(), Some("urn:ds"));
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
