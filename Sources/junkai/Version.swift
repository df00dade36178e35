/// The release this binary was built from, as `junkai --version` prints it; raised with each landing that
/// changes the API, the schema or the command line.
enum JunkaiVersion {
    static let current = "0.3.0"
}
