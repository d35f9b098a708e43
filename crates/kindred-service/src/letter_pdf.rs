//! Print-ready PDF of verification letters.
//!
//! The letters are laid out here (positions, wrapping, fitting) as a list of
//! marks — text, lines, boxes — and written with the `krilla` PDF library in
//! the open font DejaVu Sans (regular and bold; the code in DejaVu Sans Mono
//! Bold), shipped in the binary (`crates/kindred-service/fonts/`, licence
//! beside it) and embedded as a subset of the glyphs the letters use. The
//! fonts cover Latin with its extensions, Greek and Cyrillic, so "Şule
//! Yılmaz", "Łukasz Wiśniewski", "Dvořák", "Παπαδόπουλος" and "Иванова" print
//! as written, and a PDF reader (or `pdftotext`) reads them back whole. Text is
//! composed to NFC first, so a name typed with combining accents uses the
//! font's precomposed letters. A character the fonts lack (Chinese, say)
//! prints as the font's empty box but is still in the text layer. One A4 page
//! per letter. The output depends on the input only (no clock, no I/O), so
//! the same letters always give the same bytes.
//!
//! The page follows DIN 5008 form B for a DL window envelope: the address
//! field starts 20 mm from the left and 45 mm from the top (85 × 45 mm); the
//! return address ("Rücksendeangabe") sits small at its top, the recipient in
//! the address zone 17.7 mm below. Fold marks at 105 mm and 210 mm and the
//! hole mark at 148.5 mm are short lines at the left edge. The body starts
//! 98 mm from the top, between margins of 25 mm (left) and 20 mm (right).
//!
//! Lines are wrapped with the advance widths of the fonts, so nothing runs
//! past the margins; a letter too long for one page is set in a smaller size
//! (down to 8 pt) rather than continued on a second page, because one page is
//! one letter. Text that does not fit even at 8 pt runs off the bottom of the
//! page, so keep letters short: about 35 lines of body text fit at 10.5 pt.

use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use unicode_normalization::UnicodeNormalization;

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
    /// E.g. "K7MX-Q2PD"; printed large in a monospaced bold font inside a box.
    pub code: String,
    /// E.g. "Ihr Code:"; printed before the box.
    pub code_label: String,
    /// E.g. `["Mit freundlichen Grüßen", "", "Ihr Vorstand"]`; an empty entry is an empty line.
    pub closing: Vec<String>,
}

/// Why no PDF could be written. Neither depends on the letters: both mean
/// a broken build (a damaged font file) or a bug in the PDF library.
#[derive(Debug, thiserror::Error)]
pub enum LetterPdfError {
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// The PDF of `letters`, one A4 page per letter, in order.
///
/// An empty slice gives a valid PDF with a single blank page (viewers and
/// printers cope badly with a document of no pages).
pub fn letters_pdf(letters: &[PrintedLetter]) -> Result<Vec<u8>, LetterPdfError> {
    let faces = Faces::load()?;
    let pages: Vec<Vec<Mark>> = if letters.is_empty() {
        vec![Vec::new()]
    } else {
        letters.iter().map(|letter| render_letter(&faces, letter)).collect()
    };
    write_pdf(&faces, &pages)
}

// ---------------------------------------------------------------------------
// Page geometry, in PDF points (1/72 inch). Vertical positions are measured
// from the top edge, as krilla measures them.

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

const SENDER_SIZE: f64 = 7.0;
const RECIPIENT_SIZE: f64 = 10.5;
/// The smallest size a single line is shrunk to before it is cut.
const MIN_LINE_SIZE: f64 = 6.0;

const BODY_TOP: f64 = 98.0 * MM;
/// Lowest point the body may reach (20 mm bottom margin).
const BODY_BOTTOM: f64 = PAGE_HEIGHT - 20.0 * MM;
/// Body sizes tried in turn until the letter fits on its page.
const BODY_SIZES: [f64; 6] = [10.5, 10.0, 9.5, 9.0, 8.5, 8.0];
/// Line spacing relative to the font size.
const LEADING: f64 = 1.3;
/// Approximate ascent and descent of the letters, relative to the size.
const ASCENT: f64 = 0.75;
const DESCENT: f64 = 0.25;

const CODE_SIZE: f64 = 20.0;
/// Extra space between the characters of the code, relative to its size.
const CODE_TRACKING: f64 = 0.08;

/// Fold marks (105 mm, 210 mm) and hole mark (148.5 mm), from the top.
const FOLD_MARKS: [f64; 2] = [105.0 * MM, 210.0 * MM];
const HOLE_MARK: f64 = 148.5 * MM;

// ---------------------------------------------------------------------------
// Fonts and metrics.

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Mono,
}

/// One embedded font, read for its metrics.
struct Face {
    data: &'static [u8],
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f64,
    cap_height: f64,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Face, LetterPdfError> {
        let font = FontRef::new(data).map_err(|_| LetterPdfError::Font(name))?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f64::from(metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(LetterPdfError::Font(name));
        }
        Ok(Face {
            data,
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            cap_height: metrics.cap_height.map_or(0.73, |h| f64::from(h) / units_per_em),
        })
    }

    /// The glyph of `c` (0, the empty box, when the font lacks it) and its
    /// advance in thousandths of the font size.
    fn glyph(&self, c: char) -> (u32, f64) {
        let id = self.charmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF);
        let advance = self.metrics.advance_width(id).map_or(0.0, f64::from);
        (id.to_u32(), advance * 1000.0 / self.units_per_em)
    }
}

/// The three faces of a letter.
struct Faces {
    regular: Face,
    bold: Face,
    mono: Face,
}

impl Faces {
    fn load() -> Result<Faces, LetterPdfError> {
        Ok(Faces {
            regular: Face::load("DejaVuSans.ttf", REGULAR)?,
            bold: Face::load("DejaVuSans-Bold.ttf", BOLD)?,
            mono: Face::load("DejaVuSansMono-Bold.ttf", MONO)?,
        })
    }

    fn face(&self, font: Font) -> &Face {
        match font {
            Font::Regular => &self.regular,
            Font::Bold => &self.bold,
            Font::Mono => &self.mono,
        }
    }

    /// Width of `text` in thousandths of the font size.
    fn units(&self, font: Font, text: &str) -> f64 {
        let face = self.face(font);
        text.chars().map(|c| face.glyph(c).1).sum()
    }

    /// Width of `text` set at `size`, in points.
    fn measure(&self, font: Font, text: &str, size: f64) -> f64 {
        self.units(font, text) * size / 1000.0
    }
}

// ---------------------------------------------------------------------------
// Text: cleaning, wrapping, fitting.

const SPACE: char = ' ';
const ELLIPSIS: char = '…';

/// `text` as printed: composed (NFC), invisible characters (soft hyphen,
/// zero-width space and joiners, byte-order mark) left out, line breaks,
/// tabs and the other breaking spaces turned into a space, figure and narrow
/// no-break spaces into a no-break space.
fn clean(text: &str) -> String {
    text.nfc()
        .filter_map(|c| match c {
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => None,
            '\u{a0}' | '\u{2007}' | '\u{202f}' => Some('\u{a0}'),
            c if c.is_whitespace() || c.is_control() => Some(SPACE),
            c => Some(c),
        })
        .collect()
}

/// The words of `text`, split at spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(SPACE).filter(|w| !w.is_empty())
}

/// `text` on one line: cleaned, runs of spaces collapsed, ends trimmed.
fn one_line(text: &str) -> String {
    words(&clean(text)).collect::<Vec<_>>().join(" ")
}

/// Breaks `text` (cleaned) into lines no wider than `width` at `size`:
/// greedily at spaces, and inside a word only when the word alone is too wide.
fn wrap(faces: &Faces, text: &str, font: Font, size: f64, width: f64) -> Vec<String> {
    let limit = width * 1000.0 / size;
    let fits = |line: &str| faces.units(font, line) <= limit;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words(text) {
        if !line.is_empty() {
            let before = line.len();
            line.push(SPACE);
            line.push_str(word);
            if fits(&line) {
                continue;
            }
            line.truncate(before);
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if line.chars().nth(1).is_some() && !fits(&line) {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
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
fn fit(faces: &Faces, mut text: String, font: Font, size: f64, width: f64) -> (String, f64) {
    let natural = faces.measure(font, &text, size);
    if natural <= width {
        return (text, size);
    }
    let shrunk = size * width / natural * 0.999;
    if shrunk >= MIN_LINE_SIZE {
        return (text, shrunk);
    }
    let limit = width * 1000.0 / MIN_LINE_SIZE;
    let ellipsis = faces.face(font).glyph(ELLIPSIS).1;
    while !text.is_empty() && faces.units(font, &text) + ellipsis > limit {
        text.pop();
    }
    while text.ends_with(SPACE) {
        text.pop();
    }
    text.push(ELLIPSIS);
    (text, MIN_LINE_SIZE)
}

// ---------------------------------------------------------------------------
// Drawing.

/// One thing drawn on a page; positions in points from the left and top edges.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    /// `text` with its baseline `baseline` below the top edge, starting at
    /// `x`, with `tracking` points added after each character.
    Text { font: Font, size: f64, x: f64, baseline: f64, tracking: f64, text: String },
    /// A straight line `thickness` thick.
    Line { thickness: f64, from: (f64, f64), to: (f64, f64) },
    /// The outline of a rectangle whose top left corner is at (`x`, `top`).
    Rect { thickness: f64, x: f64, top: f64, width: f64, height: f64 },
}

/// The marks of one page under construction.
#[derive(Default)]
struct Canvas {
    marks: Vec<Mark>,
    /// Lowest point drawn so far, from the top.
    bottom: f64,
}

impl Canvas {
    fn text(&mut self, font: Font, size: f64, x: f64, baseline: f64, text: &str) {
        self.text_tracked(font, size, 0.0, x, baseline, text);
    }

    fn text_tracked(&mut self, font: Font, size: f64, tracking: f64, x: f64, baseline: f64, text: &str) {
        if text.is_empty() {
            return;
        }
        self.marks.push(Mark::Text { font, size, x, baseline, tracking, text: text.to_owned() });
        self.bottom = self.bottom.max(baseline + DESCENT * size);
    }

    fn line(&mut self, thickness: f64, from: (f64, f64), to: (f64, f64)) {
        self.marks.push(Mark::Line { thickness, from, to });
        self.bottom = self.bottom.max(from.1).max(to.1);
    }

    fn rect(&mut self, thickness: f64, x: f64, top: f64, width: f64, height: f64) {
        self.marks.push(Mark::Rect { thickness, x, top, width, height });
        self.bottom = self.bottom.max(top + height);
    }
}

// ---------------------------------------------------------------------------
// The letter.

fn render_letter(faces: &Faces, letter: &PrintedLetter) -> Vec<Mark> {
    let mut page = Canvas::default();
    marks(&mut page);
    address(faces, &mut page, letter);
    let mut body_marks = Vec::new();
    for size in BODY_SIZES {
        let mut canvas = Canvas::default();
        body(faces, &mut canvas, letter, size);
        body_marks = canvas.marks;
        if canvas.bottom <= BODY_BOTTOM {
            break;
        }
    }
    page.marks.extend(body_marks);
    page.marks
}

/// Fold marks and hole mark at the left edge.
fn marks(page: &mut Canvas) {
    for y in FOLD_MARKS {
        page.line(0.4, (4.0 * MM, y), (9.0 * MM, y));
    }
    page.line(0.4, (4.0 * MM, HOLE_MARK), (11.0 * MM, HOLE_MARK));
}

/// Return address and recipient in the window of the envelope.
fn address(faces: &Faces, page: &mut Canvas, letter: &PrintedLetter) {
    let (sender, size) = fit(faces, one_line(&letter.sender_line), Font::Regular, SENDER_SIZE, FIELD_TEXT_WIDTH);
    if !sender.is_empty() {
        let baseline = FIELD_TOP + 4.5 * MM;
        let width = faces.measure(Font::Regular, &sender, size);
        page.text(Font::Regular, size, LEFT, baseline, &sender);
        let underline = baseline + 0.25 * size;
        page.line(0.3, (LEFT, underline), (LEFT + width, underline));
    }
    let lines: Vec<String> =
        letter.recipient.iter().map(|line| one_line(line)).filter(|line| !line.is_empty()).collect();
    // Leading 1.15; room for the ascent of the first line and the descent of the last.
    let rows = lines.len().saturating_sub(1) as f64;
    let size = RECIPIENT_SIZE.min(ADDRESS_HEIGHT / (0.8 + DESCENT + rows * 1.15));
    for (row, line) in lines.into_iter().enumerate() {
        let (line, line_size) = fit(faces, line, Font::Regular, size, FIELD_TEXT_WIDTH);
        let baseline = ADDRESS_TOP + 0.8 * size + row as f64 * 1.15 * size;
        page.text(Font::Regular, line_size, LEFT, baseline, &line);
    }
}

/// Date, heading, paragraphs, code and closing, with body text at `size`.
fn body(faces: &Faces, page: &mut Canvas, letter: &PrintedLetter, size: f64) {
    let leading = size * LEADING;
    let mut baseline = BODY_TOP + ASCENT * size;

    let (date, date_size) = fit(faces, one_line(&letter.date_line), Font::Regular, size, TEXT_WIDTH);
    if !date.is_empty() {
        let x = RIGHT - faces.measure(Font::Regular, &date, date_size);
        page.text(Font::Regular, date_size, x, baseline, &date);
        baseline += 2.0 * leading;
    }

    let heading_size = size + 1.0;
    let heading = wrap(faces, &clean(&letter.heading), Font::Bold, heading_size, TEXT_WIDTH);
    for line in &heading {
        page.text(Font::Bold, heading_size, LEFT, baseline, line);
        baseline += heading_size * LEADING;
    }
    if !heading.is_empty() {
        baseline += leading;
    }

    for paragraph in &letter.paragraphs {
        let lines = wrap(faces, &clean(paragraph), Font::Regular, size, TEXT_WIDTH);
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
        baseline = code_box(faces, page, &one_line(&letter.code_label), &code, size, baseline);
    }

    for line in &letter.closing {
        let (line, line_size) = fit(faces, one_line(line), Font::Regular, size, TEXT_WIDTH);
        page.text(Font::Regular, line_size, LEFT, baseline, &line);
        baseline += leading;
    }
}

/// The label and the boxed code, starting on the line at `baseline`; returns
/// the baseline of the line after it and a blank line.
fn code_box(faces: &Faces, page: &mut Canvas, label: &str, code: &str, size: f64, mut baseline: f64) -> f64 {
    let leading = size * LEADING;
    let chars = code.chars().count() as f64;
    // Box width at code size s: the code with tracking between its
    // characters, and 0.6 s padding either side.
    let box_width_per_size = (faces.units(Font::Mono, code) / 1000.0) + (chars - 1.0) * CODE_TRACKING + 1.2;
    let code_size = CODE_SIZE.min(TEXT_WIDTH / box_width_per_size * 0.999);
    let box_width = box_width_per_size * code_size;
    let label_width = faces.measure(Font::Regular, label, size);
    let beside = label_width + size + box_width <= TEXT_WIDTH;

    let mut box_x = LEFT;
    if beside {
        if !label.is_empty() {
            box_x = LEFT + label_width + size;
        }
    } else {
        for line in wrap(faces, label, Font::Regular, size, TEXT_WIDTH) {
            page.text(Font::Regular, size, LEFT, baseline, &line);
            baseline += leading;
        }
    }

    let cap_height = faces.mono.cap_height;
    let padding = 0.5 * code_size;
    let box_top = baseline - ASCENT * size;
    let box_height = 2.0 * padding + cap_height * code_size;
    let code_baseline = box_top + padding + cap_height * code_size;
    page.rect(1.0, box_x, box_top, box_width, box_height);
    page.text_tracked(Font::Mono, code_size, CODE_TRACKING * code_size, box_x + 0.6 * code_size, code_baseline, code);
    if beside {
        page.text(Font::Regular, size, LEFT, code_baseline, label);
    }
    box_top + box_height + leading + ASCENT * size
}

// ---------------------------------------------------------------------------
// The file.

/// The PDF of `pages`: every page A4, every mark drawn in black; the fonts
/// embedded as subsets of the glyphs used.
fn write_pdf(faces: &Faces, pages: &[Vec<Mark>]) -> Result<Vec<u8>, LetterPdfError> {
    let font = |face: &Face, name: &'static str| {
        krilla::text::Font::new(Data::from(face.data), 0).ok_or(LetterPdfError::Font(name))
    };
    let fonts = [
        font(&faces.regular, "DejaVuSans.ttf")?,
        font(&faces.bold, "DejaVuSans-Bold.ttf")?,
        font(&faces.mono, "DejaVuSansMono-Bold.ttf")?,
    ];
    let pdf_font = |font: Font| match font {
        Font::Regular => fonts[0].clone(),
        Font::Bold => fonts[1].clone(),
        Font::Mono => fonts[2].clone(),
    };

    let mut document = Document::new();
    document.set_metadata(Metadata::new().producer("Kindred".to_owned()));
    for marks in pages {
        let settings = PageSettings::from_wh(PAGE_WIDTH as f32, PAGE_HEIGHT as f32)
            .ok_or_else(|| LetterPdfError::Pdf("no A4 page".to_owned()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for mark in marks {
            draw(&mut surface, faces, &pdf_font, mark);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| LetterPdfError::Pdf(format!("{e:?}")))
}

fn draw(surface: &mut Surface<'_>, faces: &Faces, pdf_font: &dyn Fn(Font) -> krilla::text::Font, mark: &Mark) {
    match mark {
        Mark::Text { font, size, x, baseline, tracking, text } => {
            let face = faces.face(*font);
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(at, c)| {
                    let (id, advance) = face.glyph(c);
                    KrillaGlyph {
                        glyph_id: GlyphId::new(id),
                        text_range: at..at + c.len_utf8(),
                        // In units of the font size.
                        x_advance: (advance / 1000.0 + tracking / size) as f32,
                        x_offset: 0.0,
                        y_offset: 0.0,
                        y_advance: 0.0,
                        location: None,
                    }
                })
                .collect();
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
            let start = Point::from_xy(*x as f32, *baseline as f32);
            surface.draw_glyphs(start, &glyphs, pdf_font(*font), text, *size as f32, false);
        }
        Mark::Line { thickness, from, to } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0 as f32, from.1 as f32);
            path.line_to(to.0 as f32, to.1 as f32);
            stroke(surface, *thickness, path);
        }
        Mark::Rect { thickness, x, top, width, height } => {
            let Some(rect) = Rect::from_xywh(*x as f32, *top as f32, *width as f32, *height as f32) else { return };
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            stroke(surface, *thickness, path);
        }
    }
}

fn stroke(surface: &mut Surface<'_>, thickness: f64, path: PathBuilder) {
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { width: thickness as f32, ..Stroke::default() }));
    surface.draw_path(&path);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    fn faces() -> Faces {
        Faces::load().unwrap()
    }

    fn pdf(letters: &[PrintedLetter]) -> Vec<u8> {
        letters_pdf(letters).unwrap()
    }

    /// Runs a poppler tool (Debian poppler-utils; `scripts/test` installs it)
    /// on `pdf` and returns what it printed.
    fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "kindred-letters-{}-{}.pdf",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, pdf).unwrap();
        let to_stdout: &[&str] = if tool == "pdftotext" { &["-"] } else { &[] };
        let output = Command::new(tool).args(args).arg(&path).args(to_stdout).output();
        std::fs::remove_file(&path).ok();
        let output = output.unwrap_or_else(|e| panic!("{tool} (apt-get install poppler-utils): {e}"));
        assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn text_of(pdf: &[u8]) -> String {
        poppler("pdftotext", &["-enc", "UTF-8"], pdf)
    }

    fn page_count(pdf: &[u8]) -> usize {
        let info = poppler("pdfinfo", &[], pdf);
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line["Pages:".len()..].trim().parse().unwrap()
    }

    /// The texts drawn on a page, in order.
    fn texts(marks: &[Mark]) -> Vec<(&str, Font, f64, f64, f64)> {
        marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { font, size, x, baseline, text, .. } => Some((text.as_str(), *font, *size, *x, *baseline)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn names_in_any_european_script_come_back_whole() {
        let names = [
            "Şule Yılmaz",
            "Łukasz Wiśniewski",
            "Antonín Dvořák",
            "Γιώργος Παπαδόπουλος",
            "Анна Иванова",
            "Ærøskøbing Ŧęśţ Ŋœ",
        ];
        let letters: Vec<_> = names.iter().map(|n| letter(n)).collect();
        let pdf = pdf(&letters);
        let text = text_of(&pdf);
        for name in names {
            assert!(text.contains(name), "{name} not in:\n{text}");
        }
        // The rest of the letter reads back too: umlauts, quotes, the euro sign, the code.
        for part in ["Große Straße 5", "„Mein Konto“", "0,00 €", "Ihr Bestätigungscode", "Mit freundlichen Grüßen"]
        {
            assert!(text.contains(part), "{part} not in:\n{text}");
        }
        assert!(text.contains("K7MX-Q2PD") || text.contains("K 7 M X - Q 2 P D"), "{text}");
        assert!(!text.contains('\u{fffd}'), "{text}");
        assert_eq!(page_count(&pdf), names.len());
    }

    #[test]
    fn combining_accents_are_composed() {
        let text = text_of(&pdf(&[letter("Dvor\u{30c}a\u{301}k")]));
        assert!(text.contains("Dvořák"), "{text}");
    }

    #[test]
    fn the_fonts_are_embedded_as_subsets() {
        let pdf = pdf(&[letter("Şule Yılmaz")]);
        let fonts = poppler("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 3, "{fonts}");
        for row in rows {
            let fields: Vec<&str> = row.split_whitespace().collect();
            assert!(fields[0].contains('+') && fields[0].contains("DejaVuSans"), "{row}");
            // emb sub uni
            assert_eq!(fields[fields.len() - 5..fields.len() - 2], ["yes", "yes", "yes"], "{row}");
        }
        // A subset: far smaller than the fonts themselves.
        assert!(pdf.len() < 80_000, "{} bytes", pdf.len());
    }

    #[test]
    fn one_page_per_letter_and_a_blank_page_for_none() {
        for n in [1, 2, 5] {
            let letters: Vec<_> = (0..n).map(|i| letter(&format!("Erika Mustermann {i}"))).collect();
            assert_eq!(page_count(&pdf(&letters)), n);
        }
        let empty = pdf(&[]);
        assert!(empty.starts_with(b"%PDF-"));
        assert_eq!(page_count(&empty), 1);
        assert_eq!(text_of(&empty).trim_matches(['\n', '\u{c}']), "");
    }

    #[test]
    fn the_output_depends_only_on_the_input() {
        let letters = [letter("Erika Mustermann"), letter("Jan de Vries")];
        let first = pdf(&letters);
        assert_eq!(first, pdf(&letters));
        assert_ne!(first, pdf(&letters[..1]));
        let info = poppler("pdfinfo", &[], &first);
        assert!(info.contains("Producer:        Kindred"), "{info}");
        assert!(!info.contains("CreationDate"), "{info}");
    }

    #[test]
    fn text_is_cleaned() {
        assert_eq!(clean("a\tb\nc\u{a0}d\u{202f}e"), "a b c\u{a0}d\u{a0}e");
        assert_eq!(clean("Selbst\u{ad}hilfe\u{200b}"), "Selbsthilfe");
        assert_eq!(clean("Dvor\u{30c}a\u{301}k"), "Dvořák");
        assert_eq!(one_line("  Erika \n Mustermann "), "Erika Mustermann");
    }

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let faces = faces();
        let text = clean(
            "Wir freuen uns, dass Sie da sind! Der Landesverband der Deutschen Multiple-Sklerose-\
             Gesellschaft begleitet Betroffene seit vielen Jahren; Gespräche, Beratung und \
             Veranstaltungen finden in ganz Nordrhein-Westfalen statt. Überlänge: \
             Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsangestellte \
             und ein    paar   Leerzeichen. Καλημέρα, Здравствуйте.",
        );
        for (font, size, width) in [
            (Font::Regular, 11.0, TEXT_WIDTH),
            (Font::Bold, 12.0, TEXT_WIDTH),
            (Font::Regular, 11.0, 120.0),
            (Font::Regular, 9.0, 40.0),
        ] {
            let lines = wrap(&faces, &text, font, size, width);
            assert!(lines.len() > 1);
            for line in &lines {
                assert!(faces.measure(font, line, size) <= width + 1e-9, "{line:?}");
                assert!(!line.starts_with(' ') && !line.ends_with(' '));
            }
            // Joined again, the lines give all words; a word is only split
            // when it does not fit on a line of its own.
            let joined = lines.join(" ");
            let original: String = words(&text).collect();
            let rejoined: String = joined.chars().filter(|c| *c != ' ').collect();
            assert_eq!(rejoined, original);
            for piece in words(&joined) {
                let ok =
                    words(&text).any(|w| w == piece || (faces.measure(font, w, size) > width && w.contains(piece)));
                assert!(ok, "{piece:?} is neither a word nor part of an overlong one");
            }
        }
        // On the full text width only the overlong word is broken (in two).
        let lines = wrap(&faces, &text, Font::Regular, 11.0, TEXT_WIDTH);
        let rejoined: Vec<&str> = lines.iter().flat_map(|l| words(l)).collect();
        let fitting: Vec<&str> = words(&text).filter(|w| faces.measure(Font::Regular, w, 11.0) <= TEXT_WIDTH).collect();
        assert_eq!(fitting.len(), words(&text).count() - 1, "one overlong word");
        assert_eq!(rejoined.len(), fitting.len() + 2);
        assert!(fitting.iter().all(|w| rejoined.contains(w)));
        assert!(wrap(&faces, "   ", Font::Regular, 11.0, TEXT_WIDTH).is_empty());
    }

    #[test]
    fn the_metrics_are_those_of_the_fonts() {
        let faces = faces();
        // DejaVu Sans: 2048 units per em; "space" is 651 units wide, "M" 1767, "ı" 569.
        assert!((faces.units(Font::Regular, " ") - 651.0 * 1000.0 / 2048.0).abs() < 1e-9);
        assert!((faces.units(Font::Regular, "M") - 1767.0 * 1000.0 / 2048.0).abs() < 1e-9);
        assert!((faces.units(Font::Regular, "ı") - 569.0 * 1000.0 / 2048.0).abs() < 1e-9);
        assert!(faces.units(Font::Bold, "M") > faces.units(Font::Regular, "M"));
        let one = faces.units(Font::Mono, "0");
        assert!((faces.units(Font::Mono, "K7MX-Q2PD") - 9.0 * one).abs() < 1e-9);
        for c in ['Ş', 'ı', 'Ł', 'ś', 'ř', 'Ω', 'Ж', '€', '„', '…'] {
            for font in [Font::Regular, Font::Bold] {
                assert_ne!(faces.face(font).glyph(c).0, 0, "{c} in {font:?}");
            }
        }
        assert_eq!(faces.face(Font::Regular).glyph('中').0, 0, "no CJK in DejaVu Sans");
    }

    #[test]
    fn overlong_lines_are_shrunk_then_cut() {
        let faces = faces();
        let short = fit(&faces, "Kurz".into(), Font::Regular, 11.0, 100.0);
        assert_eq!(short, ("Kurz".to_owned(), 11.0));
        let (text, size) = fit(&faces, "Etwas zu lang".into(), Font::Regular, 11.0, 60.0);
        assert_eq!(text, "Etwas zu lang");
        assert!(size < 11.0 && faces.measure(Font::Regular, &text, size) <= 60.0);
        let (text, size) = fit(&faces, "W".repeat(200), Font::Regular, 11.0, 60.0);
        assert_eq!(size, MIN_LINE_SIZE);
        assert!(text.ends_with(ELLIPSIS));
        assert!(faces.measure(Font::Regular, &text, size) <= 60.0);
    }

    #[test]
    fn a_long_letter_still_fits_on_its_page() {
        let faces = faces();
        let mut long = letter("Erika Mustermann");
        // Too long for the first size, fits at a smaller one.
        long.paragraphs = vec!["Viel Text, der die Seite füllt. ".repeat(20); 4];
        long.recipient = (1..=9).map(|i| format!("Adresszeile {i}")).collect();
        assert_eq!(page_count(&pdf(&[long.clone(), letter("B")])), 2);

        let page = render_letter(&faces, &long);
        let texts = texts(&page);
        assert!(texts.iter().all(|(_, _, size, _, baseline)| baseline + DESCENT * size <= BODY_BOTTOM));
        assert!(
            texts.iter().filter(|t| t.0.starts_with("Viel")).all(|t| t.2 < BODY_SIZES[0]),
            "the body was set smaller"
        );
        assert!(texts.iter().any(|t| t.0 == "K7MX-Q2PD") && texts.iter().any(|t| t.0 == "Ihr Vorstand"));
        // All nine address lines stay inside the address zone.
        let address: Vec<f64> =
            texts.iter().filter(|t| t.0.starts_with("Adresszeile")).map(|t| t.4 - 0.8 * t.2).collect();
        assert_eq!(address.len(), 9);
        assert!(address.iter().all(|top| (ADDRESS_TOP - 1e-9..ADDRESS_TOP + ADDRESS_HEIGHT).contains(top)));
    }

    #[test]
    fn the_page_has_marks_and_address_where_the_envelope_window_is() {
        let faces = faces();
        let page = render_letter(&faces, &letter("Erika Mustermann"));
        // Fold marks 105 mm and 210 mm, hole mark 148.5 mm from the top.
        for from_top in [105.0, 210.0, 148.5] {
            let y = from_top * MM;
            let found = page.iter().any(|m| matches!(m, Mark::Line { from, .. } if *from == (4.0 * MM, y)));
            assert!(found, "mark at {from_top} mm");
        }
        let texts = texts(&page);
        // The first recipient line starts 25 mm from the left, inside the address zone.
        let name = texts.iter().find(|t| t.0 == "Erika Mustermann").unwrap();
        assert_eq!((name.1, name.2, name.3), (Font::Regular, RECIPIENT_SIZE, LEFT));
        let from_top = name.4 / MM;
        assert!((62.7..90.0).contains(&from_top), "{from_top} mm");
        // The sender line is small, at the top of the field.
        let sender = texts.iter().find(|t| t.0.contains("Postfach")).unwrap();
        assert_eq!(sender.2, SENDER_SIZE);
        assert!((45.0..50.0).contains(&(sender.4 / MM)));
        // The code sits in its box, in the monospaced font.
        let code = texts.iter().find(|t| t.0 == "K7MX-Q2PD").unwrap();
        assert_eq!(code.1, Font::Mono);
        let boxed = page.iter().any(|m| {
            matches!(m, Mark::Rect { x, top, width, height, .. }
                if *x < code.3 && code.3 < x + width && *top < code.4 && code.4 < top + height)
        });
        assert!(boxed);
        // Nothing runs past the right margin.
        for (text, font, size, x, _) in &texts {
            assert!(x + faces.measure(*font, text, *size) <= RIGHT + 1e-6, "{text}");
        }
    }
}
