import ArgumentParser

struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'policy' is not built yet")
    }
}
