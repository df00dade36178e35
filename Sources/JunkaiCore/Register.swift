import Foundation

/// One row of the built-in 全国地方公共団体コード register: a prefecture, municipality or 政令市の区.
public struct RegisterEntry: Sendable, Codable, Hashable {
    public var code: LocalGovCode
    public var prefecture: String
    /// The name; a 政令市の区 is "札幌市 中央区".
    public var name: String
    /// Reading in hiragana, spaced like `name`.
    public var kana: String
    /// prefecture, city, town, village, special-ward (東京23区) or ward (政令市の区).
    public var kind: String
    /// The official web site; may be empty.
    public var url: String
    /// The office position, WGS84 degrees.
    public var lat: Double
    public var lon: Double

    public init(code: LocalGovCode, prefecture: String, name: String, kana: String, kind: String,
                url: String, lat: Double, lon: Double) {
        self.code = code; self.prefecture = prefecture; self.name = name; self.kana = kana
        self.kind = kind; self.url = url; self.lat = lat; self.lon = lon
    }

    /// The office position.
    public var location: GeoPoint {
        get { GeoPoint(lat: lat, lon: lon) }
        set { lat = newValue.lat; lon = newValue.lon }
    }

    /// Whether this is a 市区町村 that can join a consortium (not a prefecture, not a 政令市の区).
    public var isMunicipality: Bool { RegisterEntry.municipalityKinds.contains(kind) }

    public static let kinds: Set<String> = ["prefecture", "city", "town", "village", "special-ward", "ward"]
    public static let municipalityKinds: Set<String> = ["city", "town", "village", "special-ward"]
}

/// The built-in register, loaded once from the bundled lg_register.csv and searchable by code, name or kana.
public final class MunicipalRegister: Sendable {
    /// The bundled register, parsed on first use.
    public static let shared: MunicipalRegister = {
        guard let url = Bundle.module.url(forResource: "lg_register", withExtension: "csv"),
              let data = try? Data(contentsOf: url) else {
            return MunicipalRegister(entries: [], problems: ["lg_register.csv: the bundled resource cannot be read"])
        }
        return MunicipalRegister(csv: data)
    }()

    /// Every entry in code order as the file lists them (prefectures first).
    public let entries: [RegisterEntry]
    /// Rows that were skipped, each naming its line and field; empty for the bundled file.
    public let problems: [String]

    private let index: [LocalGovCode: Int]
    // Search keys as UTF-8 bytes, with spaces removed so "札幌市中央区" finds "札幌市 中央区".
    private let nameKeys: [[UInt8]]
    private let fullKeys: [[UInt8]]
    private let kanaKeys: [[UInt8]]

    /// Parses register CSV text with the header `code,prefecture,name,kana,kind,lat,lon,url`; bad rows land in `problems`.
    public convenience init(csv: String) { self.init(csv: Data(csv.utf8)) }

    /// Parses register CSV bytes (UTF-8); bad rows land in `problems`.
    public convenience init(csv: Data) {
        var entries: [RegisterEntry] = []
        var problems: [String] = []
        let rows = CSV.rows(csv)
        let header = rows.first?.fields ?? []
        let wanted = ["code", "prefecture", "name", "kana", "kind", "lat", "lon", "url"]
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = wanted.filter { column[$0] == nil }
        if rows.isEmpty || !missing.isEmpty {
            problems.append("header: missing column(s) \(missing.joined(separator: ", "))")
        } else {
            entries.reserveCapacity(rows.count - 1)
            var seen = Set<LocalGovCode>()
            for row in rows.dropFirst() {
                func field(_ name: String) -> String {
                    let i = column[name] ?? 0
                    return i < row.fields.count ? row.fields[i] : ""
                }
                switch Self.entry(field: field) {
                case .success(let entry):
                    if seen.insert(entry.code).inserted { entries.append(entry) } else {
                        problems.append("line \(row.line): code: \(entry.code) is repeated")
                    }
                case .failure(let why):
                    problems.append("line \(row.line): \(why.message)")
                }
            }
        }
        self.init(entries: entries, problems: problems)
    }

    /// A register holding exactly these entries (later duplicates of a code are ignored by `entry(_:)`).
    public init(entries: [RegisterEntry], problems: [String] = []) {
        self.entries = entries
        self.problems = problems
        var index: [LocalGovCode: Int] = [:]
        index.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() where index[e.code] == nil { index[e.code] = i }
        self.index = index
        nameKeys = entries.map { Self.key($0.name) }
        fullKeys = entries.map { $0.kind == "prefecture" ? Self.key($0.name) : Self.key($0.prefecture + $0.name) }
        kanaKeys = entries.map { Self.key($0.kana) }
    }

    private struct RowProblem: Error { let message: String }

    private static func entry(field: (String) -> String) -> Result<RegisterEntry, RowProblem> {
        let codeText = field("code")
        let code: LocalGovCode
        do { code = try LocalGovCode(validating: codeText) } catch {
            return .failure(RowProblem(message: "code: \"\(codeText)\" \(error)"))
        }
        for name in ["prefecture", "name", "kana"] where field(name).isEmpty {
            return .failure(RowProblem(message: "\(name): empty for \(code)"))
        }
        let kind = field("kind")
        guard RegisterEntry.kinds.contains(kind) else {
            return .failure(RowProblem(message: "kind: \"\(kind)\" is not one of \(RegisterEntry.kinds.sorted())"))
        }
        guard let lat = Double(field("lat")), (-90...90).contains(lat) else {
            return .failure(RowProblem(message: "lat: \"\(field("lat"))\" is not a latitude for \(code)"))
        }
        guard let lon = Double(field("lon")), (-180...180).contains(lon) else {
            return .failure(RowProblem(message: "lon: \"\(field("lon"))\" is not a longitude for \(code)"))
        }
        return .success(RegisterEntry(code: code, prefecture: field("prefecture"), name: field("name"),
                                      kana: field("kana"), kind: kind, url: field("url"), lat: lat, lon: lon))
    }

    /// The entry with this code, or nil.
    public func entry(_ code: LocalGovCode) -> RegisterEntry? { index[code].map { entries[$0] } }

    /// Entries matching a code prefix, a name ("奈良市", "奈良県奈良市", "札幌市中央区") or a reading in
    /// hiragana or katakana, best first: exact matches, then prefixes, then substrings, each in code order.
    public func search(_ query: String, limit: Int = 50) -> [RegisterEntry] {
        guard limit > 0 else { return [] }
        // NFKC folds full-width digits and half-width katakana; spaces never matter.
        let q = Self.key(query.precomposedStringWithCompatibilityMapping)
        guard !q.isEmpty else { return [] }
        var ranked: [(rank: Int, index: Int)] = []
        if q.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            for (i, e) in entries.enumerated() {
                let code = Array(e.code.value.utf8)
                if code.starts(with: q) { ranked.append((q.count >= 5 ? 0 : 1, i)) }
            }
        } else {
            let reading = Self.hiragana(q)
            for i in entries.indices {
                let name = nameKeys[i], full = fullKeys[i], kana = kanaKeys[i]
                let rank: Int
                if name == q || full == q || kana == reading { rank = 0 }
                else if name.starts(with: q) || kana.starts(with: reading) { rank = 1 }
                else if Self.contains(full, q) || Self.contains(kana, reading) { rank = 2 }
                else { continue }
                ranked.append((rank, i))
            }
        }
        ranked.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.index < $1.index }
        return ranked.prefix(limit).map { entries[$0.index] }
    }

    /// Municipalities (city, town, village, 特別区) whose office is within `withinKm` of this one's,
    /// nearest first, with the model's rounded km (so `km <= withinKm` holds as in rule H7); itself excluded.
    public func neighbours(of code: LocalGovCode, withinKm: Double) -> [(entry: RegisterEntry, km: Int)] {
        guard let origin = index[code] else { return [] }
        let here = entries[origin].location
        var found: [(exact: Double, index: Int, km: Int)] = []
        for (i, e) in entries.enumerated() where e.isMunicipality && e.code != code {
            let exact = GeoDistance.haversineKm(here, e.location)
            let km = GeoDistance.roundedKm(exact)
            if Double(km) <= withinKm { found.append((exact, i, km)) }
        }
        found.sort { $0.exact != $1.exact ? $0.exact < $1.exact : $0.index < $1.index }
        return found.map { (entries[$0.index], $0.km) }
    }

    // MARK: - Keys

    /// UTF-8 bytes of the text without white space (ASCII or U+3000).
    static func key(_ text: String) -> [UInt8] {
        guard text.unicodeScalars.contains(where: \.properties.isWhitespace) else { return Array(text.utf8) }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { !$0.properties.isWhitespace })
        return Array(String(kept).utf8)
    }

    /// Katakana ァ–ヶ (U+30A1–U+30F6) moved to hiragana ぁ–ゖ, in UTF-8.
    static func hiragana(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if (0x30A1...0x30F6).contains(s.value), let h = Unicode.Scalar(s.value - 0x60) {
                scalars.append(h)
            } else {
                scalars.append(s)
            }
        }
        return Array(String(scalars).utf8)
    }

    /// Whether `needle` occurs in `haystack`; byte search is exact for UTF-8, which is self-synchronising.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        guard n <= h else { return false }
        guard let first = needle.first else { return true }
        var i = 0
        while i <= h - n {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }
}

/// A minimal RFC 4180 reader: commas, double-quoted fields with "" escapes, LF or CRLF line ends.
enum CSV {
    struct Row {
        /// 1-based line number where the row starts.
        let line: Int
        let fields: [String]
    }

    static func rows(_ data: Data) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, afterQuote = false
        var line = 1, rowLine = 1
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var bytes = raw[...]
            // Skip a UTF-8 byte-order mark.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            func endField() {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                afterQuote = false
            }
            func endRow() {
                endField()
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
                fields.removeAll(keepingCapacity: true)
            }
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let b = bytes[i]
                i += 1
                if inQuotes {
                    if b == 0x22 {
                        if i < bytes.endIndex && bytes[i] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false; afterQuote = true }
                    } else {
                        if b == 0x0A { line += 1 }
                        field.append(b)
                    }
                    continue
                }
                switch b {
                case 0x2C: endField()
                case 0x0A:
                    endRow()
                    line += 1
                    rowLine = line
                case 0x0D where i < bytes.endIndex && bytes[i] == 0x0A: continue
                case 0x22 where field.isEmpty && !afterQuote: inQuotes = true
                default: field.append(b)
                }
            }
            if !field.isEmpty || !fields.isEmpty { endRow() }
        }
        return rows
    }
}
