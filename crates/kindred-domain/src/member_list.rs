//! The member list an association uploads for admission: who may register,
//! identified by member number, postcode and birth date. The same
//! normalisation reads the list and what a registrant types, so that both
//! sides give the same [`MemberListEntry::canonical`] string (which is what
//! gets hashed and stored; the list itself is not kept).
//!
//! The list is CSV text with the header `member_number,postcode,birth_date`
//! (or the same separated by `;`, as German spreadsheet programs export it).
//! Errors name the line and the column, never the content: the data is
//! personal.

use std::collections::HashSet;
use std::fmt;

/// The most data rows a list may have.
pub const MAX_ROWS: usize = 200_000;

/// The columns, in order.
const HEADER: [&str; 3] = ["member_number", "postcode", "birth_date"];

/// A date of birth: a real calendar date in the years 1900 to 2100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate {
    year: u16,
    month: u8,
    day: u8,
}

impl BirthDate {
    /// `None` unless the date exists and the year is within 1900..=2100.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1900..=2100).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Self { year, month, day })
    }

    /// Reads `YYYY-MM-DD`, `DD.MM.YYYY` or `DD-MM-YYYY` (day and month may
    /// have one digit; the year must have four).
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        let separator = if s.contains('.') { '.' } else { '-' };
        let mut parts = s.split(separator);
        let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || ![a, b, c].iter().all(|p| !p.is_empty() && p.bytes().all(|d| d.is_ascii_digit())) {
            return None;
        }
        let short = |p: &str| p.len() <= 2;
        let (year, month, day) = if separator == '-' && a.len() == 4 && short(b) && short(c) {
            (a, b, c)
        } else if c.len() == 4 && short(a) && short(b) {
            (c, b, a)
        } else {
            return None;
        };
        Self::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for BirthDate {
    /// ISO 8601: `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap_year(year: u16) -> bool {
    // (Not `is_multiple_of`: that needs Rust 1.87, the workspace supports 1.85.)
    match (year % 400, year % 100, year % 4) {
        (0, _, _) => true,
        (_, 0, _) => false,
        (_, _, 0) => true,
        _ => false,
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// One member as the association knows them, normalised.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MemberListEntry {
    member_number: String,
    postcode: String,
    birth_date: BirthDate,
}

/// Which value of an entry is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryError {
    MemberNumber,
    Postcode,
    BirthDate,
}

impl EntryError {
    /// The column (and form field) name.
    pub fn column(self) -> &'static str {
        match self {
            Self::MemberNumber => HEADER[0],
            Self::Postcode => HEADER[1],
            Self::BirthDate => HEADER[2],
        }
    }

    /// What is wrong, without the value.
    pub fn problem(self) -> &'static str {
        match self {
            Self::MemberNumber => "must be 1 to 32 characters: letters A-Z, digits, '-', '/' and '.'",
            Self::Postcode => "must be 3 to 10 letters and digits",
            Self::BirthDate => "not a date (expected YYYY-MM-DD or DD.MM.YYYY)",
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.column(), self.problem())
    }
}

impl std::error::Error for EntryError {}

impl MemberListEntry {
    /// Normalises and checks one member's data, from the list or from a
    /// registrant. Member number: white space removed, uppercased, 1 to 32
    /// of `A-Z 0-9 - / .`. Postcode: white space removed, uppercased, 3 to
    /// 10 letters and digits (so "1234 ab" is "1234AB"). Birth date: see
    /// [`BirthDate::parse`].
    pub fn parse(member_number: &str, postcode: &str, birth_date: &str) -> Result<Self, EntryError> {
        let member_number = normalise(member_number, 1..=32, |b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b'-' | b'/' | b'.')
        })
        .ok_or(EntryError::MemberNumber)?;
        // Hyphens as in Polish or Portuguese postcodes ("00-950") are kept.
        let postcode = normalise(postcode, 3..=10, |b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
            .ok_or(EntryError::Postcode)?;
        let birth_date = BirthDate::parse(birth_date).ok_or(EntryError::BirthDate)?;
        Ok(Self { member_number, postcode, birth_date })
    }

    pub fn member_number(&self) -> &str {
        &self.member_number
    }

    pub fn postcode(&self) -> &str {
        &self.postcode
    }

    pub fn birth_date(&self) -> BirthDate {
        self.birth_date
    }

    /// The string that gets hashed: `NUMBER|POSTCODE|YYYY-MM-DD`.
    pub fn canonical(&self) -> String {
        format!("{}|{}|{}", self.member_number, self.postcode, self.birth_date)
    }
}

impl fmt::Debug for MemberListEntry {
    // Personal data stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemberListEntry(..)")
    }
}

/// White space removed, ASCII uppercased; `None` unless every byte passes
/// `allowed` and the length is in `len`.
fn normalise(raw: &str, len: std::ops::RangeInclusive<usize>, allowed: impl Fn(u8) -> bool) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    (len.contains(&s.len()) && s.bytes().all(allowed)).then_some(s)
}

/// Why a member list was refused, and on which line (1-based, counting every
/// line of the file, blank ones included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberListError {
    line: usize,
    problem: ListProblem,
}

/// What is wrong with a member list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListProblem {
    /// Nothing but blank lines.
    Empty,
    /// The first line is not the header.
    Header,
    /// A row without exactly three columns.
    Columns { found: usize },
    /// A double quote that is not closed, or that is in the middle of a field.
    Quotes,
    /// A value that is not valid.
    Entry(EntryError),
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
}

impl MemberListError {
    fn new(line: usize, problem: ListProblem) -> Self {
        Self { line, problem }
    }

    pub fn line(&self) -> usize {
        self.line
    }

    pub fn problem(&self) -> ListProblem {
        self.problem
    }
}

impl fmt::Display for MemberListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match self.problem {
            ListProblem::Empty => {
                write!(f, "the file is empty; the first line must be the header member_number,postcode,birth_date")
            }
            ListProblem::Header => {
                write!(f, "the first line must be the header member_number,postcode,birth_date (separated by , or ;)")
            }
            ListProblem::Columns { found } => {
                write!(f, "expected 3 columns (member_number, postcode, birth_date), found {found}")
            }
            ListProblem::Quotes => write!(f, "a double quote is not closed, or is in the middle of a field"),
            ListProblem::Entry(error) => write!(f, "{error}"),
            ListProblem::TooManyRows => write!(f, "more than {MAX_ROWS} rows; split the list"),
        }
    }
}

impl std::error::Error for MemberListError {}

/// Reads a member list. Accepts `,` or `;` as separator (whichever the header
/// uses), a UTF-8 byte order mark, CRLF line ends, blank lines, white space
/// around values, double-quoted fields (`""` for a quote inside one) and
/// empty trailing columns. Rows that normalise to the same entry are kept
/// once. A list with the header and no rows is valid (and empty).
pub fn parse_member_list(csv: &str) -> Result<Vec<MemberListEntry>, MemberListError> {
    let text = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Err(MemberListError::new(1, ListProblem::Empty));
    };
    let separator = if first.contains(';') { ';' } else { ',' };
    let mut reader = Reader { chars: text.chars().peekable(), line: 1, separator };

    let mut header_seen = false;
    let mut rows = 0usize;
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    while let Some(record) = reader.record() {
        let (line, mut fields) = record?;
        while fields.len() > HEADER.len() && fields.last().is_some_and(|f| f.trim().is_empty()) {
            fields.pop();
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if !header_seen {
            let is_header = fields.len() == HEADER.len()
                && fields.iter().zip(HEADER).all(|(f, h)| f.trim().eq_ignore_ascii_case(h));
            if !is_header {
                return Err(MemberListError::new(line, ListProblem::Header));
            }
            header_seen = true;
            continue;
        }
        rows += 1;
        if rows > MAX_ROWS {
            return Err(MemberListError::new(line, ListProblem::TooManyRows));
        }
        let [number, postcode, birth_date] = fields.as_slice() else {
            return Err(MemberListError::new(line, ListProblem::Columns { found: fields.len() }));
        };
        let entry = MemberListEntry::parse(number, postcode, birth_date)
            .map_err(|e| MemberListError::new(line, ListProblem::Entry(e)))?;
        if seen.insert(entry.canonical()) {
            entries.push(entry);
        }
    }
    if !header_seen {
        return Err(MemberListError::new(1, ListProblem::Empty));
    }
    Ok(entries)
}

/// Splits CSV text into records (RFC 4180 with a chosen separator).
struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// The line the next character is on.
    line: usize,
    separator: char,
}

/// What ended a field.
enum End {
    Separator,
    Record,
}

impl Reader<'_> {
    /// The next record's fields and the line it starts on; `None` at the end.
    fn record(&mut self) -> Option<Result<(usize, Vec<String>), MemberListError>> {
        self.chars.peek()?;
        let start = self.line;
        let mut fields = Vec::new();
        loop {
            match self.field() {
                Ok((field, End::Separator)) => fields.push(field),
                Ok((field, End::Record)) => {
                    fields.push(field);
                    return Some(Ok((start, fields)));
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    fn field(&mut self) -> Result<(String, End), MemberListError> {
        let mut field = String::new();
        loop {
            match self.chars.next() {
                None => return Ok((field, End::Record)),
                Some('\n') => {
                    self.line += 1;
                    return Ok((field, End::Record));
                }
                Some('\r') => {}
                Some(c) if c == self.separator => return Ok((field, End::Separator)),
                Some('"') if field.chars().all(char::is_whitespace) => return self.quoted(),
                Some('"') => return Err(MemberListError::new(self.line, ListProblem::Quotes)),
                Some(c) => field.push(c),
            }
        }
    }

    /// The rest of a field after its opening quote.
    fn quoted(&mut self) -> Result<(String, End), MemberListError> {
        let opened = self.line;
        let mut field = String::new();
        loop {
            match self.chars.next() {
                None => return Err(MemberListError::new(opened, ListProblem::Quotes)),
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                Some('"') => break,
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
            }
        }
        // After the closing quote only blanks, then the end of the field.
        loop {
            match self.chars.next() {
                None => return Ok((field, End::Record)),
                Some('\n') => {
                    self.line += 1;
                    return Ok((field, End::Record));
                }
                Some(c) if c == self.separator => return Ok((field, End::Separator)),
                Some(c) if c.is_whitespace() => {}
                Some(_) => return Err(MemberListError::new(self.line, ListProblem::Quotes)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: u16, m: u8, d: u8) -> BirthDate {
        BirthDate::new(y, m, d).unwrap()
    }

    fn canonicals(csv: &str) -> Vec<String> {
        parse_member_list(csv).unwrap().iter().map(MemberListEntry::canonical).collect()
    }

    fn records(csv: &str, separator: char) -> Result<Vec<(usize, Vec<String>)>, MemberListError> {
        let mut reader = Reader { chars: csv.chars().peekable(), line: 1, separator };
        std::iter::from_fn(|| reader.record()).collect()
    }

    #[test]
    fn birth_dates() {
        assert_eq!(BirthDate::parse("1970-02-01"), Some(date(1970, 2, 1)));
        assert_eq!(BirthDate::parse("01.02.1970"), Some(date(1970, 2, 1)));
        assert_eq!(BirthDate::parse("01-02-1970"), Some(date(1970, 2, 1)));
        assert_eq!(BirthDate::parse(" 1.2.1970 "), Some(date(1970, 2, 1)));
        assert_eq!(BirthDate::parse("1970-2-1"), Some(date(1970, 2, 1)));
        assert_eq!(date(1970, 2, 1).to_string(), "1970-02-01");
        assert_eq!(date(1900, 1, 1).to_string(), "1900-01-01");
        let d = date(2001, 12, 31);
        assert_eq!((d.year(), d.month(), d.day()), (2001, 12, 31));
    }

    #[test]
    fn birth_dates_are_real_dates() {
        for good in ["2000-02-29", "2024-02-29", "29.02.1904", "1900-01-01", "2100-12-31", "31.12.1999", "30.04.1980"] {
            assert!(BirthDate::parse(good).is_some(), "{good}");
        }
        for bad in [
            "1900-02-29", // not a leap year (divisible by 100)
            "2100-02-29",
            "2023-02-29",
            "1970-02-30",
            "31.04.1980",
            "1970-13-01",
            "1970-00-10",
            "1970-01-00",
            "00.01.1970",
            "1899-12-31",
            "2101-01-01",
            "0000-01-01",
        ] {
            assert_eq!(BirthDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn birth_date_formats() {
        for bad in [
            "",
            "1970",
            "1970-02",
            "01.02.70",
            "70-02-01",
            "1970/02/01",
            "02/01/1970",
            "1970.02.01",
            "1970-02-01-01",
            "01.02-1970",
            "+1970-02-01",
            "1970-+2-01",
            "1970-002-01",
            "001.02.1970",
            "１９７０-02-01",
            "1970-02-01T00:00",
            "1970 02 01",
            "ein Datum",
        ] {
            assert_eq!(BirthDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn entries_are_normalised() {
        let entry = MemberListEntry::parse(" ab 12/3.4-5 ", "1234 ab", "01.02.1970").unwrap();
        assert_eq!(entry.member_number(), "AB12/3.4-5");
        assert_eq!(entry.postcode(), "1234AB");
        assert_eq!(entry.birth_date(), date(1970, 2, 1));
        assert_eq!(entry.canonical(), "AB12/3.4-5|1234AB|1970-02-01");
        let same = MemberListEntry::parse("AB12/3.4-5", "1234AB", "1970-02-01").unwrap();
        assert_eq!(entry, same);
        assert_eq!(format!("{entry:?}"), "MemberListEntry(..)");
        assert_eq!(MemberListEntry::parse("1", "SW1A 1AA", "1970-02-01").unwrap().canonical(), "1|SW1A1AA|1970-02-01");
    }

    #[test]
    fn entry_errors() {
        let ok = ("4711", "50667", "1970-02-01");
        assert!(MemberListEntry::parse(ok.0, ok.1, ok.2).is_ok());
        for number in ["", "  ", &"1".repeat(33), "12_3", "12|3", "12,3", "Ä12", "12#"] {
            assert_eq!(MemberListEntry::parse(number, ok.1, ok.2), Err(EntryError::MemberNumber), "{number}");
        }
        assert!(MemberListEntry::parse(&"1".repeat(32), ok.1, ok.2).is_ok());
        assert!(MemberListEntry::parse("1", "00-950", "1970-01-01").is_ok());
        for postcode in ["", "12", "12345678901", "5066ä", "50667!"] {
            assert_eq!(MemberListEntry::parse(ok.0, postcode, ok.2), Err(EntryError::Postcode), "{postcode}");
        }
        assert!(MemberListEntry::parse(ok.0, "123", ok.2).is_ok());
        assert!(MemberListEntry::parse(ok.0, "1234567890", ok.2).is_ok());
        assert_eq!(MemberListEntry::parse(ok.0, ok.1, "1970-02-30"), Err(EntryError::BirthDate));
        // The first wrong column is reported.
        assert_eq!(MemberListEntry::parse("", "", ""), Err(EntryError::MemberNumber));
        assert_eq!(EntryError::BirthDate.to_string(), "birth_date: not a date (expected YYYY-MM-DD or DD.MM.YYYY)");
        assert_eq!(EntryError::Postcode.column(), "postcode");
    }

    #[test]
    fn a_plain_list() {
        let csv = "member_number,postcode,birth_date\n4711,50667,1970-02-01\nA-12,1234 AB,24.12.1985\n";
        assert_eq!(canonicals(csv), ["4711|50667|1970-02-01", "A-12|1234AB|1985-12-24"]);
        // Without the final line end, too.
        assert_eq!(canonicals(csv.trim_end()), ["4711|50667|1970-02-01", "A-12|1234AB|1985-12-24"]);
    }

    #[test]
    fn a_german_excel_export() {
        let csv = concat!(
            "\u{feff}Member_Number;Postcode;Birth_Date\r\n",
            "4711;50667;01.02.1970\r\n",
            ";;\r\n",
            "\r\n",
            "4712; 50668 ;\"02.03.1971\"\r\n",
        );
        assert_eq!(canonicals(csv), ["4711|50667|1970-02-01", "4712|50668|1971-03-02"]);
    }

    #[test]
    fn tolerated_formatting() {
        let good = "\n\n  member_number , \"postcode\",birth_date,,\n\n  4711 ,\" 1234 ab \" , 1970-02-01 ,\n\t\n";
        assert_eq!(canonicals(good), ["4711|1234AB|1970-02-01"]);
        let csv = format!("{good}\"47\"\"12\",1,2\n");
        // Line 7 holds a quote inside a number: refused as a member number, on its own line.
        let error = parse_member_list(&csv).unwrap_err();
        assert_eq!(error.line(), 7);
        assert_eq!(error.problem(), ListProblem::Entry(EntryError::MemberNumber));
    }

    #[test]
    fn the_reader_follows_rfc_4180() {
        let rows = records("a,\"b,c\",\"d \"\"e\"\"\"\n\"x\ny\",z\r\nlast", ',').unwrap();
        assert_eq!(
            rows,
            [
                (1, vec!["a".to_owned(), "b,c".to_owned(), "d \"e\"".to_owned()]),
                (2, vec!["x\ny".to_owned(), "z".to_owned()]),
                (4, vec!["last".to_owned()]),
            ]
        );
        assert_eq!(records("a;\"b;c\";d", ';').unwrap(), [(1, vec!["a".into(), "b;c".into(), "d".into()])]);
        assert_eq!(records("\"\"", ',').unwrap(), [(1, vec![String::new()])]);
        assert_eq!(records("a,\"\"\"\"", ',').unwrap(), [(1, vec!["a".into(), "\"".into()])]);
        assert_eq!(records("", ',').unwrap(), []);
    }

    #[test]
    fn duplicates_are_collapsed() {
        let csv = "member_number,postcode,birth_date\n\
                   4711,1234AB,1970-02-01\n\
                   4711,1234 ab,01.02.1970\n\
                   4711,1234AB,01-02-1970\n\
                   4712,1234AB,1970-02-01\n\
                   4711,1234AB,1970-02-01\n";
        assert_eq!(canonicals(csv), ["4711|1234AB|1970-02-01", "4712|1234AB|1970-02-01"]);
    }

    #[test]
    fn header_is_required() {
        let problem = |csv: &str| parse_member_list(csv).map_err(|e| (e.line(), e.problem()));
        assert_eq!(problem(""), Err((1, ListProblem::Empty)));
        assert_eq!(problem("\u{feff}"), Err((1, ListProblem::Empty)));
        assert_eq!(problem("\r\n \n\t\n"), Err((1, ListProblem::Empty)));
        assert_eq!(problem(";;\n"), Err((1, ListProblem::Empty)));
        assert_eq!(problem("4711,50667,1970-02-01\n"), Err((1, ListProblem::Header)));
        assert_eq!(problem("\n\npostcode,member_number,birth_date\n"), Err((3, ListProblem::Header)));
        assert_eq!(problem("member_number,postcode\n"), Err((1, ListProblem::Header)));
        assert_eq!(problem("member_number,postcode,birth_date,email\n"), Err((1, ListProblem::Header)));
        assert_eq!(problem("member_number;postcode,birth_date\n"), Err((1, ListProblem::Header)));
        assert_eq!(problem("member number,postcode,birth date\n"), Err((1, ListProblem::Header)));
        // A header and nothing else is an empty list.
        assert_eq!(problem("member_number,postcode,birth_date"), Ok(vec![]));
    }

    #[test]
    fn errors_name_line_and_column_only() {
        let csv = "member_number;postcode;birth_date\r\n\
                   4711;50667;1970-02-01\r\n\
                   \r\n\
                   \"4712\";\"50667\";\"1970-02-02\"\r\n\
                   4713;50667;1970-02-03\r\n\
                   \r\n\
                   4714;50667;31.02.1970\r\n";
        let error = parse_member_list(csv).unwrap_err();
        assert_eq!(error.to_string(), "line 7: birth_date: not a date (expected YYYY-MM-DD or DD.MM.YYYY)");

        let secret = "Geheim-Straße 5";
        for (csv, line, problem) in [
            (
                format!("member_number,postcode,birth_date\n{secret},50667,1970-01-01"),
                2,
                ListProblem::Entry(EntryError::MemberNumber),
            ),
            (
                format!("member_number,postcode,birth_date\n1,{secret},1970-01-01"),
                2,
                ListProblem::Entry(EntryError::Postcode),
            ),
            (
                format!("member_number,postcode,birth_date\n\n1,50667,{secret}"),
                3,
                ListProblem::Entry(EntryError::BirthDate),
            ),
            (
                format!("member_number,postcode,birth_date\n1,50667,1970-01-01,{secret}"),
                2,
                ListProblem::Columns { found: 4 },
            ),
            ("member_number,postcode,birth_date\n1,50667".to_owned(), 2, ListProblem::Columns { found: 2 }),
            (format!("member_number,postcode,birth_date\n1,\"{secret}\"x,1970-01-01"), 2, ListProblem::Quotes),
            (format!("member_number,postcode,birth_date\n1,{secret}\"x\",1970-01-01"), 2, ListProblem::Quotes),
            (
                format!("member_number,postcode,birth_date\n1,50667,1970-01-01\n2,\"{secret}\n,\n"),
                3,
                ListProblem::Quotes,
            ),
            (format!("{secret},postcode,birth_date\n"), 1, ListProblem::Header),
        ] {
            let error = parse_member_list(&csv).unwrap_err();
            assert_eq!((error.line(), error.problem()), (line, problem), "{csv}");
            let message = error.to_string();
            assert!(message.starts_with(&format!("line {line}: ")), "{message}");
            for word in ["Geheim", "Straße", "50667", "1970"] {
                assert!(!message.contains(word), "{message}");
            }
        }
    }

    #[test]
    fn line_numbers_count_lines_inside_quotes() {
        // A line end inside quotes is white space (removed from a member number), and a line.
        let csv = "member_number,postcode,birth_date\n\"47\n11\",50667,1970-01-01\n4712,50667,1970-13-01\n";
        let error = parse_member_list(csv).unwrap_err();
        assert_eq!((error.line(), error.problem()), (4, ListProblem::Entry(EntryError::BirthDate)));
        let csv = "member_number,postcode,birth_date\n\"4711\",\"50\n\",1970-01-01\n";
        let error = parse_member_list(csv).unwrap_err();
        assert_eq!((error.line(), error.problem()), (2, ListProblem::Entry(EntryError::Postcode)));
    }

    #[test]
    fn at_most_200_000_rows() {
        let mut csv = String::from("member_number,postcode,birth_date\n");
        for i in 0..MAX_ROWS {
            csv.push_str(&format!("{i},50667,1970-01-01\n"));
        }
        assert_eq!(parse_member_list(&csv).unwrap().len(), MAX_ROWS);
        csv.push_str("\n4711,50667,1970-01-01\n");
        let error = parse_member_list(&csv).unwrap_err();
        assert_eq!((error.line(), error.problem()), (MAX_ROWS + 3, ListProblem::TooManyRows));
        assert_eq!(error.to_string(), format!("line {}: more than 200000 rows; split the list", MAX_ROWS + 3));
    }

    proptest! {
        #[test]
        fn never_panics(csv in any::<String>()) {
            let _ = parse_member_list(&csv);
            let _ = parse_member_list(&format!("member_number,postcode,birth_date\n{csv}"));
            let _ = parse_member_list(&format!("member_number;postcode;birth_date\n{csv}"));
            let _ = BirthDate::parse(&csv);
        }

        #[test]
        fn never_panics_on_csv_like_text(csv in "[0-9A-Za-z,;\"\r\n .\\-]{0,200}") {
            let _ = parse_member_list(&format!("member_number,postcode,birth_date\n{csv}"));
            let _ = parse_member_list(&format!("member_number;postcode;birth_date\r\n{csv}"));
        }

        #[test]
        fn quoting_round_trips(
            number in "[A-Za-z0-9/.\\- ]{1,20}",
            postcode in "[A-Za-z0-9 ]{3,10}",
            (y, m, d) in (1900u16..=2100, 1u8..=12, 1u8..=28),
            semicolon in any::<bool>(),
        ) {
            prop_assume!(number.chars().any(|c| !c.is_whitespace()));
            prop_assume!(postcode.chars().filter(|c| !c.is_whitespace()).count() >= 3);
            let separator = if semicolon { ';' } else { ',' };
            let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let german = format!("{d:02}.{m:02}.{y}");
            let csv = format!(
                "member_number{separator}postcode{separator}birth_date\r\n{}{separator}{}{separator}{}\r\n",
                quote(&number), quote(&postcode), quote(&german),
            );
            let direct = MemberListEntry::parse(&number, &postcode, &format!("{y}-{m:02}-{d:02}")).unwrap();
            let parsed = parse_member_list(&csv).unwrap();
            prop_assert_eq!(parsed, vec![direct]);
        }
    }
}
