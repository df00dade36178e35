import Foundation
import JunkaiCore
import Testing

@Suite("CSV for Excel")
struct ExcelCSVTests {
    @Test("BOM, CRLF, and quoting only where RFC 4180 needs it")
    func layout() {
        let bytes = ExcelCSV.document(header: ["日付", "活動内容"], rows: [[.plain("2027-04-06"), .text("打合せ")], [.int(-3), .empty]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "日付,活動内容\r\n2027-04-06,打合せ\r\n-3,\r\n")
    }

    @Test("a summary with a comma, a quote and line breaks survives a round trip")
    func roundTrip() throws {
        let nasty = "会議資料（案）を修正、\"DX推進計画\"の用語を統一,\n1. 対象業務\r\n2. 日程\r"
        let rows: [[ExcelCSV.Field]] = [[.text(nasty), .plain("a,b"), .text(""), .text("\"")], [.text("改行\n"), .plain(""), .int(0), .text("x")]]
        let bytes = ExcelCSV.document(header: ["a", "b", "c", "d"], rows: rows)
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.contains("\"会議資料（案）を修正、\"\"DX推進計画\"\"の用語を統一,\n1. 対象業務\r\n2. 日程\r\""))
        let parsed = try #require(ExcelCSV.parse(bytes))
        #expect(parsed == [["a", "b", "c", "d"], [nasty, "a,b", "", "\""], ["改行\n", "", "0", "x"]])
    }

    @Test("text that Excel would read as a formula is neutralised; codes and numbers are not")
    func formulas() throws {
        let bytes = ExcelCSV.document(header: ["x"], rows: [[.text("=HYPERLINK(\"http://example.invalid\")")], [.text("+1")], [.text("@SUM(A1)")],
                                                       [.text("-2")], [.plain("-")], [.int(-5)]])
        let parsed = try #require(ExcelCSV.parse(bytes))
        #expect(parsed.dropFirst().map { $0[0] } == ["'=HYPERLINK(\"http://example.invalid\")", "'+1", "'@SUM(A1)", "'-2", "-", "-5"])
    }

    @Test("the parser refuses what is not RFC 4180")
    func parserRefuses() {
        #expect(ExcelCSV.parse(Array("\"open".utf8)) == nil)
        #expect(ExcelCSV.parse(Array("a\"b,c".utf8)) == nil)
        #expect(ExcelCSV.parse(Array("\"a\"b,c".utf8)) == nil)
        #expect(ExcelCSV.parse(Array("a,b".utf8)) == [["a", "b"]])
        #expect(ExcelCSV.parse(Array("a,\r\n".utf8)) == [["a", ""]])
    }

    @Test("ids, dates and Japan times are written as their strings would be")
    func writtenValues() throws {
        func field(_ f: ExcelCSV.Field) -> String {
            var out: [UInt8] = []
            ExcelCSV.appendRecord([f], to: &out)
            return String(decoding: out.dropLast(2), as: UTF8.self)
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = UUID()
            #expect(field(.uuid(id)) == id.uuidString.lowercased())
            let day = CivilDate(dayNumber: Int.random(in: -719_162...2_932_896, using: &rng))  // 0001-01-01 … 9999-12-31
            #expect(field(.date(day)) == day.iso)
        }
        #expect(field(.date(CivilDate(year: 1, month: 2, day: 3)!)) == "0001-02-03")
        // Japan time against Foundation's own formatter in Asia/Tokyo (no summer time since 1951).
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let instants: [Double] = [0, 1, 54_000 - 1, 54_000, 86_399, 1_806_000_000.75, 1_806_022_799.999, 4_102_444_800]
            + (0..<200).map { _ in Double.random(in: 0..<4_102_444_800, using: &rng) }
        for t in instants {
            let date = Date(timeIntervalSince1970: t.rounded(.down))
            #expect(field(.japanTime(Date(timeIntervalSince1970: t))) == formatter.string(from: date), "\(t)")
        }
    }
}
