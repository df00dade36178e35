import Foundation
import JunkaiCore
import Testing

@Suite("全国地方公共団体コード")
struct LocalGovCodeTests {
    @Test("known codes validate; a wrong check digit names the expected one")
    func validation() throws {
        for good in ["131016", "292010", "011002", "010006", "473821"] { #expect(LocalGovCode(good) != nil, "\(good)") }
        #expect(throws: LocalGovCode.Problem.badCheckDigit(expected: 0)) { try LocalGovCode(validating: "292011") }
        for bad in ["29201", "2920100", "", "29201a", "２９２０１０", " 29201"] {
            #expect(throws: LocalGovCode.Problem.notSixDigits, "\(bad)") { try LocalGovCode(validating: bad) }
        }
        #expect("\(LocalGovCode.Problem.badCheckDigit(expected: 0))".contains("expected 0"))
    }

    @Test("check digit: remainders 0 and 1 wrap to 1 and 0")
    func checkDigitWraps() {
        #expect(LocalGovCode.checkDigit(forFirstFive: [0, 0, 0, 0, 0]) == 1)  // 11 − 0 = 11 → 1
        #expect(LocalGovCode.checkDigit(forFirstFive: [2, 0, 0, 0, 0]) == 0)  // 12 mod 11 = 1 → 10 → 0
        #expect(LocalGovCode.checkDigit(forFirstFive: [1, 3, 1, 0, 1]) == 6)  // 6+15+4+0+2 = 27 → 11 − 5
    }

    @Test("5-digit codes gain their check digit")
    func fiveDigit() {
        #expect(LocalGovCode(fiveDigit: "29201")?.value == "292010")
        #expect(LocalGovCode(fiveDigit: "13101")?.value == "131016")
        #expect(LocalGovCode(fiveDigit: "2920") == nil)
        #expect(LocalGovCode(fiveDigit: "292010") == nil)
        #expect(LocalGovCode(fiveDigit: "2920x") == nil)
    }

    @Test("every code in the register passes the check digit and is its 5-digit code completed")
    func registerCodes() {
        let register = MunicipalRegister.shared
        #expect(register.problems == [])
        #expect(register.entries.count == 1959)
        for e in register.entries {
            #expect((try? LocalGovCode(validating: e.code.value)) == e.code)
            #expect(LocalGovCode(fiveDigit: String(e.code.value.prefix(5))) == e.code)
            #expect(e.code.prefectureNumber == Int(e.code.value.prefix(2)))
        }
    }

    @Test("JSON decoding names the problem")
    func codable() throws {
        let ok = try JSONDecoder().decode([LocalGovCode].self, from: Data(#"["292010"]"#.utf8))
        #expect(ok == [LocalGovCode("292010")])
        #expect(String(decoding: try JSONEncoder().encode(ok), as: UTF8.self) == #"["292010"]"#)
        #expect {
            _ = try JSONDecoder().decode([LocalGovCode].self, from: Data(#"["292011"]"#.utf8))
        } throws: { "\($0)".contains("292011") && "\($0)".contains("expected 0") }
    }
}
