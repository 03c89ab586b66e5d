import ArgumentParser

struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'synth' is not built yet")
    }
}
