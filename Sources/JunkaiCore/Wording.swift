/// Small rules of English wording for messages built from values ("an accepted request", "a submitted request").
public enum Wording {
    /// `word` with its indefinite article: "an" before a vowel sound written with a, e, i, o or u, else "a".
    public static func a(_ word: String) -> String {
        guard let first = word.lowercased().first else { return word }
        return ("aeio".contains(first) || (first == "u" && !word.lowercased().hasPrefix("uni")) ? "an " : "a ") + word
    }
}
