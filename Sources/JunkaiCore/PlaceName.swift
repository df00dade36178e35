/// Where a post is, as pages and lists show it to people.
public enum PlaceName {
    /// `団体名 ポスト`, naming the municipality once when the post's label already begins with it
    /// (「橿原市 DX推進アドバイザー」, never 「橿原市 橿原市 DX推進アドバイザー」).
    public static func of(municipality: String, post: String) -> String {
        if municipality.isEmpty || post.hasPrefix(municipality) { return post }
        return "\(municipality) \(post)"
    }
}
