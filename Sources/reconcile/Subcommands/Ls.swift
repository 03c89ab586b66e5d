import ArgumentParser
import Foundation
import ReconcileKit

struct Ls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List declared resources with their live status.",
        discussion: """
            Shows each declared resource, how it is managed (Stack/NAME or kinesis), its region and what AWS \
            says of it; for stacks also their physical resources (as 'aws cloudformation list-stack-resources').

            Examples:
              reconcile ls manifests/
              reconcile ls --output json manifests/
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(help: "text or json.")
    var output: ApplyOutputFormat = .text

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        let session = try global.makeSession()
        let rows: [ResourceListing]
        do {
            rows = try await session.run {
                try await ResourceLister(client: $0.client, settings: $0.settings).list(desired)
            }
        } catch {
            throw CommandFailure.report(error)
        }
        if output == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: (try? encoder.encode(rows)) ?? Data(), as: UTF8.self))
            return
        }
        let style = global.outputStyle
        let table = rows.map { row -> [String] in
            let details = row.details.filter { $0.key != "arn" && $0.key != "stackId" }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return [row.address.description, row.managedBy, row.region, row.status, details]
        }
        let headers = ["RESOURCE", "MANAGED BY", "REGION", "STATUS", "DETAILS"]
        let widths = (0..<4).map { column in ([headers[column]] + table.map { $0[column] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            (0..<4).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + cells[4]
        }
        print(style.bold(line(headers)))
        for (row, cells) in zip(rows, table) {
            print(row.status == "NOT FOUND" ? style.yellow(line(cells)) : line(cells))
            for resource in row.resources ?? [] {
                print("    \(resource.logicalId)  \(resource.type)  \(resource.physicalId ?? "-")  \(resource.status)")
            }
        }
    }
}
