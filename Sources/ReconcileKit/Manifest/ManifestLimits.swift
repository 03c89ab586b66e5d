/// Bounds that keep hostile or accidental input (huge files, alias bombs, deep nesting)
/// from exhausting time, memory or the stack. Each is far beyond any real manifest.
public struct ManifestLimits: Sendable, Hashable {
    /// Largest manifest file read, in bytes.
    public var maximumFileSize: Int
    /// Deepest nesting of mappings and lists.
    public var maximumDepth: Int
    /// Most YAML nodes a file may expand to, counting every alias use as a full copy.
    public var maximumNodes: Int

    public init(maximumFileSize: Int = 10 * 1024 * 1024, maximumDepth: Int = 100, maximumNodes: Int = 1_000_000) {
        self.maximumFileSize = maximumFileSize
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
    }

    public static let standard = ManifestLimits()
}
