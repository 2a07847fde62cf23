//! Re-layout of JSON text: compact (one line) or pretty, keeping member order and the
//! exact spelling of numbers and strings (re-serializing through a map would lose both).

/// `json` must be valid JSON; only whitespace outside strings changes.
pub fn layout(json: &str, pretty: bool) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 4);
    let mut depth = 0usize;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                out.push(escaped);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            c if c.is_ascii_whitespace() => {}
            '{' | '[' => {
                out.push(c);
                // Skip to the next significant character to see if the container is empty.
                while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                    chars.next();
                }
                let empty = matches!(chars.peek(), Some('}' | ']'));
                if empty {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    if pretty {
                        newline(&mut out, depth);
                    }
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if pretty {
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(',');
                if pretty {
                    newline(&mut out, depth);
                }
            }
            ':' => {
                out.push(':');
                if pretty {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::layout;

    #[test]
    fn compact_and_pretty() {
        let src = "{ \"b\" : [1, 2.50, {}], \"a\":\"x , y\\\" :{\" ,\"e\": [ ] }";
        assert_eq!(
            layout(src, false),
            r#"{"b":[1,2.50,{}],"a":"x , y\" :{","e":[]}"#
        );
        assert_eq!(
            layout(src, true),
            "{\n  \"b\": [\n    1,\n    2.50,\n    {}\n  ],\n  \"a\": \"x , y\\\" :{\",\n  \"e\": []\n}"
        );
        assert_eq!(layout("  7 ", false), "7");
        assert_eq!(layout("\"a b\"", true), "\"a b\"");
    }
}
