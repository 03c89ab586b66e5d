import ArgumentParser

struct Destroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "destroy", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'destroy' is not built yet")
    }
}
