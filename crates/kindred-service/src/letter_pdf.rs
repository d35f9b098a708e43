//! Print-ready PDF of verification letters, written by hand.
//!
//! A PDF of plain text, lines and boxes in the standard fonts is small and
//! well defined, so this module writes it without a library: PDF 1.4,
//! uncompressed content streams, the built-in fonts Helvetica,
//! Helvetica-Bold and Courier-Bold with `/WinAnsiEncoding`, one A4 page per
//! letter. The output depends on the input only (no clock, no I/O), so the
//! same letters always give the same bytes.
//!
//! The page follows DIN 5008 form B for a DL window envelope: the address
//! field starts 20 mm from the left and 45 mm from the top (85 × 45 mm); the
//! return address ("Rücksendeangabe") sits small at its top, the recipient in
//! the address zone 17.7 mm below. Fold marks at 105 mm and 210 mm and the
//! hole mark at 148.5 mm are short lines at the left edge. The body starts
//! 98 mm from the top, between margins of 25 mm (left) and 20 mm (right).
//!
//! Text is mapped to Windows-1252 (which is what `/WinAnsiEncoding` is);
//! characters outside it print as `?`. Lines are wrapped with the Adobe
//! metrics of the fonts, so nothing runs past the margins; a letter too long
//! for one page is set in a smaller size (down to 8 pt) rather than continued
//! on a second page, because one page is one letter. Text that does not fit
//! even at 8 pt runs off the bottom of the page, so keep letters short: about
//! 35 lines of body text fit at 11 pt.

/// One letter: everything already in the association's language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintedLetter {
    /// Return address printed small above the recipient (DIN 5008
    /// "Rücksendeangabe"), e.g. "DMSG Landesverband · Postfach 1 · 12345 Berlin"
    /// or just the association's name. Shrunk, then cut with "…", to fit the field.
    pub sender_line: String,
    /// Address lines: full name, street, "postcode city" (empty lines are left out).
    pub recipient: Vec<String>,
    /// E.g. "22. November 2026"; printed at the right margin.
    pub date_line: String,
    /// E.g. "Ihr Bestätigungscode"; printed bold.
    pub heading: String,
    /// Body text, one entry per paragraph, wrapped automatically.
    pub paragraphs: Vec<String>,
    /// E.g. "K7MX-Q2PD"; printed large in Courier-Bold inside a box.
    pub code: String,
    /// E.g. "Ihr Code:"; printed before the box.
    pub code_label: String,
    /// E.g. `["Mit freundlichen Grüßen", "", "Ihr Vorstand"]`; an empty entry is an empty line.
    pub closing: Vec<String>,
}

/// The PDF of `letters`, one A4 page per letter, in order.
///
/// An empty slice gives a valid PDF with a single blank page (viewers and
/// printers cope badly with a document of no pages).
pub fn letters_pdf(letters: &[PrintedLetter]) -> Vec<u8> {
    let pages: Vec<String> =
        if letters.is_empty() { vec![String::new()] } else { letters.iter().map(render_letter).collect() };
    assemble(&pages)
}

// ---------------------------------------------------------------------------
// Page geometry, in PDF points (1/72 inch). Vertical positions are measured
// from the top edge and turned around only when written.

const MM: f64 = 72.0 / 25.4;
const PAGE_WIDTH: f64 = 595.276;
const PAGE_HEIGHT: f64 = 841.89;

/// Text column of the body.
const LEFT: f64 = 25.0 * MM;
const RIGHT: f64 = PAGE_WIDTH - 20.0 * MM;
const TEXT_WIDTH: f64 = RIGHT - LEFT;

/// Address field, DIN 5008 form B: 20 mm from the left, 45 mm from the top,
/// 85 × 45 mm; text inside it starts 5 mm in (aligned with the body).
const FIELD_TOP: f64 = 45.0 * MM;
const FIELD_RIGHT: f64 = (20.0 + 85.0) * MM;
const FIELD_TEXT_WIDTH: f64 = FIELD_RIGHT - LEFT;
/// The address zone: the lower 27.3 mm of the field, below the 17.7 mm
/// zone for return address and postal notes.
const ADDRESS_TOP: f64 = (45.0 + 17.7) * MM;
const ADDRESS_HEIGHT: f64 = 27.3 * MM;

const SENDER_SIZE: f64 = 7.5;
const RECIPIENT_SIZE: f64 = 11.0;
/// The smallest size a single line is shrunk to before it is cut.
const MIN_LINE_SIZE: f64 = 6.0;

const BODY_TOP: f64 = 98.0 * MM;
/// Lowest point the body may reach (20 mm bottom margin).
const BODY_BOTTOM: f64 = PAGE_HEIGHT - 20.0 * MM;
/// Body sizes tried in turn until the letter fits on its page.
const BODY_SIZES: [f64; 7] = [11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0];
/// Line spacing relative to the font size.
const LEADING: f64 = 1.3;
/// Approximate ascent and descent of the fonts, relative to the size.
const ASCENT: f64 = 0.75;
const DESCENT: f64 = 0.25;

const CODE_SIZE: f64 = 20.0;
/// Extra space between the characters of the code, relative to its size.
const CODE_TRACKING: f64 = 0.08;
/// Cap height of Courier-Bold (562/1000), for centring the code in its box.
const CODE_CAP_HEIGHT: f64 = 0.562;

/// Fold marks (105 mm, 210 mm) and hole mark (148.5 mm), from the top.
const FOLD_MARKS: [f64; 2] = [105.0 * MM, 210.0 * MM];
const HOLE_MARK: f64 = 148.5 * MM;

// ---------------------------------------------------------------------------
// Fonts and metrics.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    /// Name in the page resources.
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "/F1",
            Font::Bold => "/F2",
            Font::Mono => "/F3",
        }
    }

    /// Width of one WinAnsi code, in thousandths of the font size.
    fn advance(self, byte: u8) -> u32 {
        let table = match self {
            Font::Regular => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
            Font::Mono => return 600,
        };
        usize::from(byte).checked_sub(32).and_then(|i| table.get(i)).map_or(0, |w| u32::from(*w))
    }

    /// Width of `text` in thousandths of the font size.
    fn units(self, text: &[u8]) -> u32 {
        text.iter().map(|b| self.advance(*b)).sum()
    }

    /// Width of `text` set at `size`, in points.
    fn measure(self, text: &[u8], size: f64) -> f64 {
        f64::from(self.units(text)) * size / 1000.0
    }
}

/// Helvetica advance widths (Adobe AFM) of the WinAnsi codes 32..=255;
/// 0 for the codes WinAnsi leaves undefined (127, 129, 141, 143, 144, 157).
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    // 32..47   space ! " # $ % & ' ( ) * + , - . /
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    // 48..63   0-9 : ; < = > ?
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    // 64..79   @ A-O
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    // 80..95   P-Z [ \ ] ^ _
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    // 96..111  ` a-o
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    // 112..127 p-z { | } ~
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    // 128..143 € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    // 144..159 ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    // 160..175 nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ shy ® ¯
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 176..191 ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 192..207 À-Ï
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 208..223 Ð-ß
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 224..239 à-ï
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    // 240..255 ð-ÿ
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold advance widths (Adobe AFM) of the WinAnsi codes 32..=255.
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    // 32..47
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    // 48..63
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    // 64..79
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    // 80..95
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    // 96..111
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    // 112..127
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    // 128..143
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    // 144..159
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    // 160..175
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 176..191
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 192..207
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 208..223
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 224..239
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    // 240..255
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

// ---------------------------------------------------------------------------
// Text: Unicode to WinAnsi, wrapping, fitting.

const SPACE: u8 = b' ';
const ELLIPSIS: u8 = 0x85;

/// The WinAnsi (Windows-1252) code of `c`: `Some(code)`, or `None` for a
/// character that is invisible anyway (soft hyphen, zero-width space and
/// joiners, byte-order mark) and is left out. Line breaks, tabs and the other
/// Unicode spaces become a space (or a no-break space where they must not
/// break); everything else outside Windows-1252 becomes `?`.
fn win_ansi(c: char) -> Option<u8> {
    let code = match c {
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => return None,
        ' '..='~' | '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        '\u{2007}' | '\u{202f}' => 0xa0,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        c if c.is_whitespace() => SPACE,
        _ => b'?',
    };
    Some(code)
}

/// `text` in WinAnsi, see [`win_ansi`].
fn encode(text: &str) -> Vec<u8> {
    text.chars().filter_map(win_ansi).collect()
}

/// The words of `text` (WinAnsi), split at spaces.
fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| *b == SPACE).filter(|w| !w.is_empty())
}

/// `text` in WinAnsi on one line: runs of spaces collapsed, ends trimmed.
fn one_line(text: &str) -> Vec<u8> {
    words(&encode(text)).collect::<Vec<_>>().join(&SPACE)
}

/// Breaks `text` (WinAnsi) into lines no wider than `width` at `size`:
/// greedily at spaces, and inside a word only when the word alone is too wide.
fn wrap(text: &[u8], font: Font, size: f64, width: f64) -> Vec<Vec<u8>> {
    let limit = width * 1000.0 / size;
    let fits = |line: &[u8]| f64::from(font.units(line)) <= limit;
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in words(text) {
        if !line.is_empty() {
            let before = line.len();
            line.push(SPACE);
            line.extend_from_slice(word);
            if fits(&line) {
                continue;
            }
            line.truncate(before);
            lines.push(std::mem::take(&mut line));
        }
        for &b in word {
            line.push(b);
            if line.len() > 1 && !fits(&line) {
                line.pop();
                lines.push(std::mem::replace(&mut line, vec![b]));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` on one line no wider than `width`: at `size` if it fits, else at a
/// smaller size down to [`MIN_LINE_SIZE`], else cut and ended with "…".
fn fit(mut text: Vec<u8>, font: Font, size: f64, width: f64) -> (Vec<u8>, f64) {
    let natural = font.measure(&text, size);
    if natural <= width {
        return (text, size);
    }
    let shrunk = size * width / natural * 0.999;
    if shrunk >= MIN_LINE_SIZE {
        return (text, shrunk);
    }
    let limit = width * 1000.0 / MIN_LINE_SIZE;
    let ellipsis = font.advance(ELLIPSIS);
    while !text.is_empty() && f64::from(font.units(&text) + ellipsis) > limit {
        text.pop();
    }
    while text.last() == Some(&SPACE) {
        text.pop();
    }
    text.push(ELLIPSIS);
    (text, MIN_LINE_SIZE)
}

// ---------------------------------------------------------------------------
// Drawing.

/// The content stream of one page under construction.
#[derive(Default)]
struct Canvas {
    ops: String,
    /// Lowest point drawn so far, from the top.
    bottom: f64,
}

impl Canvas {
    /// `text` with its baseline `baseline` below the top edge, starting at `x`.
    fn text(&mut self, font: Font, size: f64, x: f64, baseline: f64, text: &[u8]) {
        self.text_tracked(font, size, 0.0, x, baseline, text);
    }

    /// Like [`Canvas::text`], with `tracking` points added after each character.
    fn text_tracked(&mut self, font: Font, size: f64, tracking: f64, x: f64, baseline: f64, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        // Character spacing is graphics state: set it inside q … Q.
        let (open, spacing, close) =
            if tracking > 0.0 { ("q ", format!("{} Tc ", num(tracking)), " Q") } else { ("", String::new(), "") };
        self.ops.push_str(&format!(
            "{open}BT {} {} Tf {spacing}{} {} Td {} Tj ET{close}\n",
            font.resource(),
            num(size),
            num(x),
            num(PAGE_HEIGHT - baseline),
            pdf_string(text)
        ));
        self.bottom = self.bottom.max(baseline + DESCENT * size);
    }

    /// A straight line `thickness` thick.
    fn line(&mut self, thickness: f64, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
        self.ops.push_str(&format!(
            "{} w {} {} m {} {} l S\n",
            num(thickness),
            num(x1),
            num(PAGE_HEIGHT - y1),
            num(x2),
            num(PAGE_HEIGHT - y2)
        ));
        self.bottom = self.bottom.max(y1).max(y2);
    }

    /// The outline of a rectangle whose top left corner is at (`x`, `top`).
    fn rect(&mut self, thickness: f64, x: f64, top: f64, width: f64, height: f64) {
        self.ops.push_str(&format!(
            "{} w {} {} {} {} re S\n",
            num(thickness),
            num(x),
            num(PAGE_HEIGHT - top - height),
            num(width),
            num(height)
        ));
        self.bottom = self.bottom.max(top + height);
    }
}

/// A number for a content stream: at most two decimals, no trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A PDF literal string of WinAnsi bytes: `(`, `)` and `\` escaped, bytes
/// outside printable ASCII as octal escapes, so the file stays 7-bit.
fn pdf_string(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for &b in text {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push(')');
    out
}

// ---------------------------------------------------------------------------
// The letter.

fn render_letter(letter: &PrintedLetter) -> String {
    let mut page = Canvas::default();
    marks(&mut page);
    address(&mut page, letter);
    let mut body_ops = String::new();
    for size in BODY_SIZES {
        let mut canvas = Canvas::default();
        body(&mut canvas, letter, size);
        body_ops = canvas.ops;
        if canvas.bottom <= BODY_BOTTOM {
            break;
        }
    }
    page.ops.push_str(&body_ops);
    page.ops
}

/// Fold marks and hole mark at the left edge.
fn marks(page: &mut Canvas) {
    for y in FOLD_MARKS {
        page.line(0.4, (4.0 * MM, y), (9.0 * MM, y));
    }
    page.line(0.4, (4.0 * MM, HOLE_MARK), (11.0 * MM, HOLE_MARK));
}

/// Return address and recipient in the window of the envelope.
fn address(page: &mut Canvas, letter: &PrintedLetter) {
    let (sender, size) = fit(one_line(&letter.sender_line), Font::Regular, SENDER_SIZE, FIELD_TEXT_WIDTH);
    if !sender.is_empty() {
        let baseline = FIELD_TOP + 4.5 * MM;
        page.text(Font::Regular, size, LEFT, baseline, &sender);
        let underline = baseline + 0.25 * size;
        page.line(0.3, (LEFT, underline), (LEFT + Font::Regular.measure(&sender, size), underline));
    }
    let lines: Vec<Vec<u8>> =
        letter.recipient.iter().map(|line| one_line(line)).filter(|line| !line.is_empty()).collect();
    // Leading 1.15; room for the ascent of the first line and the descent of the last.
    let rows = lines.len().saturating_sub(1) as f64;
    let size = RECIPIENT_SIZE.min(ADDRESS_HEIGHT / (0.8 + DESCENT + rows * 1.15));
    for (row, line) in lines.into_iter().enumerate() {
        let (line, line_size) = fit(line, Font::Regular, size, FIELD_TEXT_WIDTH);
        let baseline = ADDRESS_TOP + 0.8 * size + row as f64 * 1.15 * size;
        page.text(Font::Regular, line_size, LEFT, baseline, &line);
    }
}

/// Date, heading, paragraphs, code and closing, with body text at `size`.
fn body(page: &mut Canvas, letter: &PrintedLetter, size: f64) {
    let leading = size * LEADING;
    let mut baseline = BODY_TOP + ASCENT * size;

    let (date, date_size) = fit(one_line(&letter.date_line), Font::Regular, size, TEXT_WIDTH);
    if !date.is_empty() {
        page.text(Font::Regular, date_size, RIGHT - Font::Regular.measure(&date, date_size), baseline, &date);
        baseline += 2.0 * leading;
    }

    let heading_size = size + 1.0;
    let heading = wrap(&encode(&letter.heading), Font::Bold, heading_size, TEXT_WIDTH);
    for line in &heading {
        page.text(Font::Bold, heading_size, LEFT, baseline, line);
        baseline += heading_size * LEADING;
    }
    if !heading.is_empty() {
        baseline += leading;
    }

    for paragraph in &letter.paragraphs {
        let lines = wrap(&encode(paragraph), Font::Regular, size, TEXT_WIDTH);
        for line in &lines {
            page.text(Font::Regular, size, LEFT, baseline, line);
            baseline += leading;
        }
        if !lines.is_empty() {
            baseline += leading;
        }
    }

    let code = one_line(&letter.code);
    if !code.is_empty() {
        baseline = code_box(page, &one_line(&letter.code_label), &code, size, baseline);
    }

    for line in &letter.closing {
        let (line, line_size) = fit(one_line(line), Font::Regular, size, TEXT_WIDTH);
        page.text(Font::Regular, line_size, LEFT, baseline, &line);
        baseline += leading;
    }
}

/// The label and the boxed code, starting on the line at `baseline`; returns
/// the baseline of the line after it and a blank line.
fn code_box(page: &mut Canvas, label: &[u8], code: &[u8], size: f64, mut baseline: f64) -> f64 {
    let leading = size * LEADING;
    let chars = code.len() as f64;
    // Box width at code size s: the characters (0.6 s each plus tracking
    // between them) and 0.6 s padding either side.
    let box_width_per_size = chars * (0.6 + CODE_TRACKING) - CODE_TRACKING + 1.2;
    let code_size = CODE_SIZE.min(TEXT_WIDTH / box_width_per_size * 0.999);
    let box_width = box_width_per_size * code_size;
    let label_width = Font::Regular.measure(label, size);
    let beside = label_width + size + box_width <= TEXT_WIDTH;

    let mut box_x = LEFT;
    if beside {
        if !label.is_empty() {
            box_x = LEFT + label_width + size;
        }
    } else {
        for line in wrap(label, Font::Regular, size, TEXT_WIDTH) {
            page.text(Font::Regular, size, LEFT, baseline, &line);
            baseline += leading;
        }
    }

    let padding = 0.5 * code_size;
    let box_top = baseline - ASCENT * size;
    let box_height = 2.0 * padding + CODE_CAP_HEIGHT * code_size;
    let code_baseline = box_top + padding + CODE_CAP_HEIGHT * code_size;
    page.rect(1.0, box_x, box_top, box_width, box_height);
    page.text_tracked(Font::Mono, code_size, CODE_TRACKING * code_size, box_x + 0.6 * code_size, code_baseline, code);
    if beside {
        page.text(Font::Regular, size, LEFT, code_baseline, label);
    }
    box_top + box_height + leading + ASCENT * size
}

// ---------------------------------------------------------------------------
// The file.

/// Object numbers of the fixed objects; page `i` is `FIRST_PAGE + 2 i`, its
/// content stream the object after it.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONTS: [(usize, &str, &str); 3] =
    [(3, "/F1", "Helvetica"), (4, "/F2", "Helvetica-Bold"), (5, "/F3", "Courier-Bold")];
const INFO: usize = 6;
const FIRST_PAGE: usize = 7;

/// The whole file: header, objects in number order, cross-reference table, trailer.
fn assemble(pages: &[String]) -> Vec<u8> {
    let mut file = PdfFile::default();
    file.out.extend_from_slice(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");

    file.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGES} 0 R >>"));
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", FIRST_PAGE + 2 * i)).collect();
    file.object(PAGES, &format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
    for (number, _, base) in FONTS {
        file.object(number, &format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"));
    }
    file.object(INFO, "<< /Producer (Kindred) >>");

    let fonts: Vec<String> = FONTS.iter().map(|(number, name, _)| format!("{name} {number} 0 R")).collect();
    let resources = format!("<< /Font << {} >> /ProcSet [/PDF /Text] >>", fonts.join(" "));
    for (i, content) in pages.iter().enumerate() {
        let number = FIRST_PAGE + 2 * i;
        file.object(
            number,
            &format!(
                "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources {resources} /Contents {} 0 R >>",
                number + 1
            ),
        );
        file.object(number + 1, &format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }

    let size = file.offsets.len() + 1;
    let xref = file.out.len();
    let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in &file.offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ));
    file.out.extend_from_slice(table.as_bytes());
    file.out
}

#[derive(Default)]
struct PdfFile {
    out: Vec<u8>,
    /// Byte offset of object `n` at index `n - 1`.
    offsets: Vec<usize>,
}

impl PdfFile {
    /// Appends object `number`; objects must come in number order from 1.
    fn object(&mut self, number: usize, body: &str) {
        self.offsets.push(self.out.len());
        self.out.extend_from_slice(format!("{number} 0 obj\n{body}\nendobj\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(name: &str) -> PrintedLetter {
        PrintedLetter {
            sender_line: "DMSG Landesverband · Postfach 1 · 12345 Berlin".into(),
            recipient: vec![name.into(), "Große Straße 5".into(), "12345 Köln".into()],
            date_line: "22. November 2026".into(),
            heading: "Ihr Bestätigungscode".into(),
            paragraphs: vec![
                "Sie haben sich bei unserer Selbsthilfegruppe angemeldet. Damit wir sicher sein können, \
                 dass Sie wirklich hier wohnen, schicken wir Ihnen diesen Brief mit einem Code."
                    .into(),
                "Geben Sie den Code nach der Anmeldung unter „Mein Konto“ ein – er gilt vier Wochen. \
                 Fragen? Schreiben Sie uns (gern auch per E-Mail) oder rufen Sie an: Gebühr 0,00 €."
                    .into(),
            ],
            code: "K7MX-Q2PD".into(),
            code_label: "Ihr Code:".into(),
            closing: vec!["Mit freundlichen Grüßen".into(), String::new(), "Ihr Vorstand".into()],
        }
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack.windows(needle.len()).filter(|w| *w == needle).count()
    }

    /// Reads the ASCII number starting at `at`.
    fn number_at(pdf: &[u8], at: usize) -> usize {
        let digits: String = pdf[at..].iter().take_while(|b| b.is_ascii_digit()).map(|b| char::from(*b)).collect();
        digits.parse().unwrap()
    }

    /// Checks header, trailer, cross-reference table and stream lengths;
    /// returns the number of objects (without object 0).
    fn check_structure(pdf: &[u8]) -> usize {
        assert!(pdf.starts_with(b"%PDF-1.4\n%"));
        assert!(pdf[10..14].iter().all(|b| *b >= 128) && pdf[14] == b'\n', "binary comment line");
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));

        let startxref = find(pdf, b"startxref\n").unwrap();
        let xref = number_at(pdf, startxref + 10);
        assert!(pdf[xref..].starts_with(b"xref\n0 "));
        let size = number_at(pdf, xref + 7);
        let mut at = xref + 7 + size.to_string().len() + 1;
        assert_eq!(&pdf[at..at + 20], b"0000000000 65535 f \n");
        at += 20;
        for n in 1..size {
            let entry = &pdf[at..at + 20];
            assert_eq!(&entry[10..], b" 00000 n \n", "entry {n}");
            assert!(entry[..10].iter().all(u8::is_ascii_digit));
            let offset = number_at(entry, 0);
            assert!(pdf[offset..].starts_with(format!("{n} 0 obj\n").as_bytes()), "object {n} at {offset}");
            at += 20;
        }
        assert!(pdf[at..].starts_with(b"trailer\n"));
        let trailer = std::str::from_utf8(&pdf[at..startxref]).unwrap();
        assert!(trailer.contains(&format!("/Size {size} ")));
        assert!(trailer.contains("/Root 1 0 R"));
        assert!(trailer.contains("/Info 6 0 R"));

        // Every stream is exactly as long as its /Length says.
        let mut rest = pdf;
        while let Some(length) = find(rest, b"/Length ") {
            let declared = number_at(rest, length + 8);
            let start = length + find(&rest[length..], b"stream\n").unwrap() + 7;
            assert_eq!(&rest[start + declared..start + declared + 10], b"\nendstream");
            rest = &rest[start + declared..];
        }
        size - 1
    }

    fn page_count(pdf: &[u8]) -> usize {
        let at = find(pdf, b"/Count ").unwrap();
        let declared = number_at(pdf, at + 7);
        assert_eq!(count(pdf, b"/Type /Page "), declared);
        declared
    }

    #[test]
    fn the_file_is_well_formed_with_one_page_per_letter() {
        for n in [1, 2, 5] {
            let letters: Vec<_> = (0..n).map(|i| letter(&format!("Erika Mustermann {i}"))).collect();
            let pdf = letters_pdf(&letters);
            assert_eq!(check_structure(&pdf), 6 + 2 * n);
            assert_eq!(page_count(&pdf), n);
        }
    }

    #[test]
    fn no_letters_give_one_blank_page() {
        let pdf = letters_pdf(&[]);
        assert_eq!(check_structure(&pdf), 8);
        assert_eq!(page_count(&pdf), 1);
        assert!(find(&pdf, b"/Length 0 >>").is_some());
    }

    #[test]
    fn the_output_depends_only_on_the_input() {
        let letters = [letter("Erika Mustermann"), letter("Jan de Vries")];
        let pdf = letters_pdf(&letters);
        assert_eq!(pdf, letters_pdf(&letters));
        assert!(find(&pdf, b"/Producer (Kindred)").is_some());
        assert!(find(&pdf, b"CreationDate").is_none());
        assert_ne!(pdf, letters_pdf(&letters[..1]));
    }

    #[test]
    fn the_standard_fonts_use_win_ansi() {
        let pdf = letters_pdf(&[letter("A")]);
        for base in ["Helvetica", "Helvetica-Bold", "Courier-Bold"] {
            let font = format!("/BaseFont /{base} /Encoding /WinAnsiEncoding");
            assert!(find(&pdf, font.as_bytes()).is_some(), "{base}");
        }
    }

    #[test]
    fn german_dutch_and_english_characters_map_to_win_ansi() {
        assert_eq!(encode("äöüÄÖÜß"), [0xe4, 0xf6, 0xfc, 0xc4, 0xd6, 0xdc, 0xdf]);
        assert_eq!(encode("éëïĳ"), [0xe9, 0xeb, 0xef, b'?']);
        assert_eq!(encode("€“”„‘’–—·…"), [0x80, 0x93, 0x94, 0x84, 0x91, 0x92, 0x96, 0x97, 0xb7, 0x85]);
        assert_eq!(encode("a\tb\nc\u{a0}d\u{202f}e"), b"a b c\xa0d\xa0e");
        assert_eq!(encode("Selbst\u{ad}hilfe\u{200b}"), b"Selbsthilfe");
        assert_eq!(encode("Ω😀"), b"??");

        // In the file the bytes appear as octal escapes.
        let pdf = letters_pdf(&[letter("Jürgen Weiß")]);
        assert!(find(&pdf, b"(J\\374rgen Wei\\337)").is_some());
        assert!(find(&pdf, b"(12345 K\\366ln)").is_some());
    }

    #[test]
    fn parentheses_and_backslashes_are_escaped() {
        assert_eq!(pdf_string(b"a(b)c\\d"), "(a\\(b\\)c\\\\d)");
        assert_eq!(pdf_string(b"\x80\n"), "(\\200\\012)");

        let mut tricky = letter("Name (c/o) \\ Backslash");
        tricky.heading = "Code (neu)".into();
        let pdf = letters_pdf(&[tricky]);
        assert!(find(&pdf, b"(Name \\(c/o\\) \\\\ Backslash)").is_some());
        assert!(find(&pdf, b"(Code \\(neu\\))").is_some());
        check_structure(&pdf);
    }

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let text = "Wir freuen uns, dass Sie da sind! Der Landesverband der Deutschen Multiple-Sklerose-\
                    Gesellschaft begleitet Betroffene seit vielen Jahren; Gespräche, Beratung und \
                    Veranstaltungen finden in ganz Nordrhein-Westfalen statt. Überlänge: \
                    Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsangestellte \
                    und ein    paar   Leerzeichen.";
        let encoded = encode(text);
        for (font, size, width) in [
            (Font::Regular, 11.0, TEXT_WIDTH),
            (Font::Bold, 12.0, TEXT_WIDTH),
            (Font::Regular, 11.0, 120.0),
            (Font::Regular, 9.0, 40.0),
        ] {
            let lines = wrap(&encoded, font, size, width);
            assert!(lines.len() > 1);
            for line in &lines {
                assert!(font.measure(line, size) <= width + 1e-9, "{:?}", String::from_utf8_lossy(line));
                assert!(!line.starts_with(b" ") && !line.ends_with(b" "));
            }
            // Joined again, the lines give all words; a word is only split
            // when it does not fit on a line of its own.
            let joined: Vec<u8> = lines.join(&SPACE);
            let original: Vec<u8> = words(&encoded).collect::<Vec<_>>().join(&b""[..]);
            let rejoined: Vec<u8> = joined.iter().copied().filter(|b| *b != SPACE).collect();
            assert_eq!(rejoined, original);
            for piece in words(&joined) {
                let ok =
                    words(&encoded).any(|w| w == piece || (font.measure(w, size) > width && find(w, piece).is_some()));
                assert!(ok, "{:?} is neither a word nor part of an overlong one", String::from_utf8_lossy(piece));
            }
        }
        // On the full text width only the overlong word is broken.
        let lines = wrap(&encoded, Font::Regular, 11.0, TEXT_WIDTH);
        let rejoined: Vec<&[u8]> = lines.iter().flat_map(|l| words(l)).collect();
        let original: Vec<&[u8]> = words(&encoded).collect();
        assert_eq!(rejoined.len(), original.len());
        assert_eq!(rejoined, original);
        assert!(wrap(b"   ", Font::Regular, 11.0, TEXT_WIDTH).is_empty());
    }

    #[test]
    fn the_metrics_are_those_of_the_fonts() {
        // Spot checks against the Adobe AFM files.
        assert_eq!(Font::Regular.units(b"Hamburgefonstiv"), 7 * 556 + 722 + 833 + 333 + 278 + 500 + 278 + 222 + 500);
        assert_eq!(Font::Regular.advance(0xdf), 611);
        assert_eq!(Font::Regular.advance(0x80), 556);
        assert_eq!(Font::Bold.advance(b'i'), 278);
        assert_eq!(Font::Bold.advance(0xfc), 611);
        assert_eq!(Font::Mono.units(b"K7MX-Q2PD"), 9 * 600);
        assert_eq!(Font::Regular.advance(b'\n'), 0);
    }

    #[test]
    fn overlong_lines_are_shrunk_then_cut() {
        let short = fit(b"Kurz".to_vec(), Font::Regular, 11.0, 100.0);
        assert_eq!(short, (b"Kurz".to_vec(), 11.0));
        let (text, size) = fit(b"Etwas zu lang".to_vec(), Font::Regular, 11.0, 60.0);
        assert_eq!(text, b"Etwas zu lang");
        assert!(size < 11.0 && Font::Regular.measure(&text, size) <= 60.0);
        let (text, size) = fit(vec![b'W'; 200], Font::Regular, 11.0, 60.0);
        assert_eq!(size, MIN_LINE_SIZE);
        assert_eq!(text.last(), Some(&ELLIPSIS));
        assert!(Font::Regular.measure(&text, size) <= 60.0);
    }

    #[test]
    fn a_long_letter_still_fits_on_its_page() {
        let mut long = letter("Erika Mustermann");
        // Too long for 11 pt, fits at 10 pt.
        long.paragraphs = vec!["Viel Text, der die Seite füllt. ".repeat(20); 4];
        long.recipient = (1..=9).map(|i| format!("Adresszeile {i}")).collect();
        let pdf = letters_pdf(&[long.clone(), letter("B")]);
        check_structure(&pdf);
        assert_eq!(page_count(&pdf), 2);

        let page = render_letter(&long);
        let texts: Vec<(f64, f64)> = page
            .lines()
            .filter(|l| l.contains(" Td ("))
            .map(|l| {
                let fields: Vec<&str> = l.split(' ').collect();
                let size = fields.iter().position(|f| *f == "Tf").unwrap() - 1;
                let y = fields.iter().position(|f| *f == "Td").unwrap() - 1;
                (fields[size].parse().unwrap(), fields[y].parse().unwrap())
            })
            .collect();
        assert!(texts.iter().all(|(_, y)| *y >= 20.0 * MM), "text below the bottom margin");
        assert!(!page.contains("/F1 11 Tf"), "the body was set smaller");
        assert!(page.contains("(K7MX-Q2PD)") && page.contains("(Ihr Vorstand)"));
        // All nine address lines stay inside the address zone.
        let address: Vec<f64> = page
            .lines()
            .filter(|l| l.contains("(Adresszeile"))
            .map(|l| PAGE_HEIGHT - l.split(' ').nth(5).unwrap().parse::<f64>().unwrap())
            .collect();
        assert_eq!(address.len(), 9);
        assert!(address.iter().all(|top| (ADDRESS_TOP..ADDRESS_TOP + ADDRESS_HEIGHT).contains(top)));
    }

    #[test]
    fn the_page_has_marks_and_address_where_the_envelope_window_is() {
        let page = render_letter(&letter("Erika Mustermann"));
        // Fold marks 105 mm and 210 mm, hole mark 148.5 mm from the top.
        for from_top in [105.0, 210.0, 148.5] {
            let y = num(PAGE_HEIGHT - from_top * MM);
            assert!(page.contains(&format!("{} {y} m", num(4.0 * MM))), "mark at {from_top} mm");
        }
        // The first recipient line starts 25 mm from the left, inside the address zone.
        let line = page.lines().find(|l| l.contains("(Erika Mustermann)")).unwrap();
        assert!(line.starts_with(&format!("BT /F1 11 Tf {} ", num(LEFT))), "{line}");
        let y: f64 = line.split(' ').nth(5).unwrap().parse().unwrap();
        let from_top = (PAGE_HEIGHT - y) / MM;
        assert!((62.7..90.0).contains(&from_top), "{from_top} mm");
        // The sender line is small, at the top of the field.
        let sender = page.lines().find(|l| l.contains("Postfach")).unwrap();
        assert!(sender.starts_with("BT /F1 7.5 Tf"), "{sender}");
    }

    #[test]
    fn numbers_are_written_briefly() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(0.004), "0");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(595.276), "595.28");
        assert_eq!(num(100.0), "100");
    }
}
