import ArgumentParser

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'export' is not built yet")
    }
}
