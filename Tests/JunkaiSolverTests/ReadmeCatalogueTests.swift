import Foundation
import JunkaiSolver
import Testing

@Suite("README")
struct ReadmeCatalogueTests {
    @Test("the README's constraint table is the catalogue's")
    func readmeTableMatchesCatalogue() throws {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(ConstraintCatalogue.markdownTable()))
    }
}
