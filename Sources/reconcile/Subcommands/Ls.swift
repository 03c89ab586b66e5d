import ArgumentParser

struct Ls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "Not built yet.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        throw ValidationError("'ls' is not built yet")
    }
}
