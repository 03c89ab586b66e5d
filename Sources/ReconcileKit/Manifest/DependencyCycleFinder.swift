/// Finds dependency cycles among declared resources and reports each once, at a
/// `dependsOn` entry on the cycle (implied edges alone — consumer → stream → stack —
/// can never form one).
struct DependencyCycleFinder {
    let explicitEdges: [ResourceAddress: [(target: ResourceAddress, location: SourceLocation)]]
    let impliedEdges: [ResourceAddress: [ResourceAddress]]

    private enum Mark { case visiting, done }

    func report(into diagnostics: inout DiagnosticCollector) {
        var marks: [ResourceAddress: Mark] = [:]
        var reported: Set<Set<ResourceAddress>> = []
        let nodes = Set(explicitEdges.keys).union(impliedEdges.keys).sorted()
        for start in nodes where marks[start] == nil {
            // Iterative depth-first search: the graph comes from user input.
            var path: [ResourceAddress] = [start]
            var iterators: [[ResourceAddress]] = [successors(of: start)]
            marks[start] = .visiting
            while let last = iterators.indices.last {
                guard let next = iterators[last].first else {
                    marks[path[last]] = .done
                    path.removeLast()
                    iterators.removeLast()
                    continue
                }
                iterators[last].removeFirst()
                switch marks[next] {
                case .visiting:
                    guard let index = path.firstIndex(of: next) else { continue }
                    let cycle = Array(path[index...])
                    if reported.insert(Set(cycle)).inserted { reportCycle(cycle, into: &diagnostics) }
                case .done:
                    continue
                case nil:
                    marks[next] = .visiting
                    path.append(next)
                    iterators.append(successors(of: next))
                }
            }
        }
    }

    private func successors(of node: ResourceAddress) -> [ResourceAddress] {
        (explicitEdges[node]?.map(\.target) ?? []) + (impliedEdges[node] ?? [])
    }

    private func reportCycle(_ cycle: [ResourceAddress], into diagnostics: inout DiagnosticCollector) {
        guard let first = cycle.first else { return }
        let closed = cycle + [first]
        let text = closed.map(\.description).joined(separator: " → ")
        // Point at the last explicit edge in the cycle: the entry that closed it.
        var location: SourceLocation? = nil
        for (from, to) in zip(closed, closed.dropFirst()) {
            if let edge = explicitEdges[from]?.first(where: { $0.target == to }) { location = edge.location }
        }
        guard let location else { return }
        diagnostics.error(at: location, "dependency cycle: \(text)")
    }
}
