//! `multipart/form-data` bodies, byte for byte as requests (through urllib3) builds them.

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub filename: Option<String>,
    /// The part's `Content-Type`, when given.
    pub content_type: Option<String>,
    /// Extra part headers.
    pub headers: Vec<(String, String)>,
    /// The content.
    pub data: Vec<u8>,
}

impl Part {
    /// A plain form field.
    pub fn text(name: impl Into<String>, value: impl Into<Vec<u8>>) -> Part {
        Part { name: name.into(), filename: None, content_type: None, headers: Vec::new(), data: value.into() }
    }

    /// A file field.
    pub fn file(name: impl Into<String>, filename: impl Into<String>, data: impl Into<Vec<u8>>) -> Part {
        Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: None,
            headers: Vec::new(),
            data: data.into(),
        }
    }

    /// Sets the part's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Part {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A multipart form: fields first, then files, as requests orders them when given both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multipart {
    /// The parts, in order.
    pub parts: Vec<Part>,
}

/// urllib3's `format_multipart_header_param`: HTML5-style escaping of `"`, CR and LF.
fn param(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(b"; ");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"=\"");
    for ch in value.chars() {
        match ch {
            '\n' => out.extend_from_slice(b"%0A"),
            '\r' => out.extend_from_slice(b"%0D"),
            '"' => out.extend_from_slice(b"%22"),
            c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a part.
    pub fn part(mut self, part: Part) -> Multipart {
        self.parts.push(part);
        self
    }

    /// The body and its `Content-Type` (with a random 32-hex-digit boundary, as urllib3's).
    pub fn encode(&self) -> (Vec<u8>, String) {
        let mut random = [0u8; 16];
        // A failing OS random source leaves zeros: still a valid boundary, only predictable.
        let _ = getrandom::fill(&mut random);
        let boundary: String = random.iter().map(|b| format!("{b:02x}")).collect();
        (self.encode_with_boundary(&boundary), format!("multipart/form-data; boundary={boundary}"))
    }

    /// The body with a given boundary.
    pub fn encode_with_boundary(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.parts.iter().map(|p| p.data.len() + 128).sum());
        for part in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data");
            param(&mut out, "name", &part.name);
            if let Some(f) = &part.filename {
                param(&mut out, "filename", f);
            }
            out.extend_from_slice(b"\r\n");
            if let Some(ct) = part.content_type.as_deref().filter(|c| !c.is_empty()) {
                out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            for (k, v) in &part.headers {
                let reserved = ["content-disposition", "content-type", "content-location"];
                if !v.is_empty() && !reserved.contains(&k.to_ascii_lowercase().as_str()) {
                    out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
                }
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_urllib3_layout() {
        let form = Multipart::new()
            .part(Part::text("a", "1"))
            .part(Part::file("f", "x\"y.txt", "data").content_type("text/plain"));
        let body = form.encode_with_boundary("B");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
             --B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x%22y.txt\"\r\n\
             Content-Type: text/plain\r\n\r\ndata\r\n--B--\r\n"
        );
        let (_, ct) = form.encode();
        assert_eq!(ct.len(), "multipart/form-data; boundary=".len() + 32);
    }
}
