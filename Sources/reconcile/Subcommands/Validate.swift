import ArgumentParser

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'validate' is not built yet")
    }
}
