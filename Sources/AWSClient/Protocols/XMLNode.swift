/// An XML element as a plain `Sendable` value: its name (without namespace prefix), its text
/// (the concatenated character data directly inside it, trimmed) and its child elements in order.
public struct XMLNode: Sendable, Hashable {
    public var name: String
    public var text: String
    public var children: [XMLNode]

    public init(name: String, text: String = "", children: [XMLNode] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child element called `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// All child elements called `name`.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The text of the child `name`, nil when the child is absent.
    public func text(of name: String) -> String? { child(name)?.text }

    /// Follows a path of child names, e.g. `node.at("Stacks", "member")`.
    public func at(_ path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// Items of a Query protocol list: `<Name><member>…</member>…</Name>` → the members.
    public func members(_ listName: String) -> [XMLNode] { child(listName)?.children("member") ?? [] }

    /// The first element called `name` in this subtree, depth first (self included).
    public func firstDescendant(_ name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children {
            if let found = child.firstDescendant(name) { return found }
        }
        return nil
    }
}
