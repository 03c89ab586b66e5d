import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Shared by the `Reliability*` suites: the matrix size switch, checks of AWS after a run,
/// and the figures `make reliability` collects for docs/reliability.md.
enum Reliability {
    /// `RECONCILE_FULL_RELIABILITY=1` (`make reliability`): the full matrices. Otherwise a
    /// smaller sample of every scenario, still run for real.
    static var full: Bool { ProcessInfo.processInfo.environment["RECONCILE_FULL_RELIABILITY"] == "1" }

    /// Picks the full list or the sample.
    static func matrix<T>(full all: [T], sample: [T]) -> [T] { full ? all : sample }

    /// Every example that `apply` can run (gitops holds CI files only) plus the seed's manifests.
    static let manifestSets = [
        "manifests", "examples/direct-stream", "examples/fan-out", "examples/kms-metrics", "examples/multi-stack",
        "examples/on-demand", "examples/pass-through"
    ]

    private static let statsLock = NSLock()

    /// Appends one line of figures to `RECONCILE_RELIABILITY_STATS` (a JSON-lines file) when set.
    static func record(_ scenario: String, _ figures: [String: Int]) {
        guard let path = ProcessInfo.processInfo.environment["RECONCILE_RELIABILITY_STATS"], !path.isEmpty else {
            return
        }
        var line: [String: Any] = ["scenario": scenario]
        for (key, value) in figures { line[key] = value }
        guard let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) else { return }
        statsLock.lock()
        defer { statsLock.unlock() }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data + Data("\n".utf8))
    }

    /// A run that ended on its own with 0, or with 1 and a readable error: never a signal,
    /// a crash report or an unexplained failure.
    static func expectCleanOutcome(
        _ result: ProcessResult, signaled: Int32? = nil, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            signaled == nil, "\(context): ended by signal \(signaled ?? 0)\n\(result.output)",
            sourceLocation: sourceLocation)
        #expect(
            [0, 1].contains(result.exitCode), "\(context): exit \(result.exitCode)\n\(result.output)",
            sourceLocation: sourceLocation)
        for marker in ["Fatal error", "Stack dump", "Segmentation fault", "Illegal instruction", "Current stack trace"]
        {
            #expect(
                !result.output.contains(marker), "\(context): crash marker '\(marker)'\n\(result.output)",
                sourceLocation: sourceLocation)
        }
        if result.exitCode == 1 {
            #expect(
                result.stderr.contains("error"), "\(context): exit 1 without an error message\n\(result.output)",
                sourceLocation: sourceLocation)
        }
    }
}

extension Workspace {
    /// Starts `reconcile ARGS` in the workspace without waiting for it.
    func start(_ arguments: String...) throws -> BackgroundProcess {
        try BackgroundProcess(
            PackagePaths.reconcileBinary, arguments, environment: environment, currentDirectory: directory.path)
    }

    /// What is live in moto compared with what the workspace's manifests declare:
    /// duplicates, undeclared leftovers and missing resources, as sentences (empty: all well).
    func inventoryProblems(requireAll: Bool = true) throws -> [String] {
        let out = try boto3(
            """
            import glob, os, yaml
            class ManifestLoader(yaml.SafeLoader):
                pass
            # Pass-through templates use CloudFormation's short forms (!Ref, !GetAtt): ignore their values.
            ManifestLoader.add_multi_constructor('!', lambda loader, suffix, node: None)
            declared = {'Stack': set(), 'Stream': set(), 'StreamConsumer': set()}
            documents = []
            for path in sorted(glob.glob(os.path.join(\(pythonString(directory.path)), '*.y*ml'))):
                documents += [d for d in yaml.load_all(open(path), Loader=ManifestLoader) if isinstance(d, dict)]
            stackStreams = {d['metadata']['name'] for d in documents if d.get('kind') == 'Stream' and d['metadata'].get('stack')}
            for doc in documents:
                if doc.get('kind') in declared:
                    # moto skips AWS::Kinesis::StreamConsumer inside stacks (docs/testing.md): such a
                    # consumer can never be live here, so it is not expected.
                    if doc['kind'] == 'StreamConsumer' and doc.get('spec', {}).get('stream') in stackStreams:
                        continue
                    declared[doc['kind']].add(doc['metadata']['name'])
            problems = []
            stacks = [s['StackName'] for s in cfn.describe_stacks()['Stacks'] if s['StackStatus'] != 'DELETE_COMPLETE']
            streams = kinesis.list_streams()['StreamNames']
            consumers = []
            for name in streams:
                arn = kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamARN']
                consumers += [c['ConsumerName'] for c in kinesis.list_stream_consumers(StreamARN=arn)['Consumers']]
            for kind, live in (('Stack', stacks), ('Stream', streams), ('StreamConsumer', consumers)):
                for name in sorted(set(live)):
                    if live.count(name) > 1: problems.append(f'{kind}/{name} exists {live.count(name)} times')
                    if name not in declared[kind]: problems.append(f'{kind}/{name} is live but not declared')
                if \(requireAll ? "True" : "False"):
                    for name in sorted(declared[kind] - set(live)): problems.append(f'{kind}/{name} is declared but missing')
            print(json.dumps(problems))
            """)
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? ["unreadable inventory: \(out)"]
    }

    /// Runs `apply` until it succeeds (at most `attempts` times), then checks `plan
    /// --detailed-exitcode` says No changes and AWS holds exactly what is declared.
    /// True when it converged: an apply exited 0, the next plan has no changes, and the
    /// inventory holds no duplicate or undeclared resource (each also an expectation).
    @discardableResult
    func expectConverges(
        attempts: Int = 3, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Bool {
        var last: ProcessResult?
        for _ in 0..<attempts {
            let apply = try reconcile("apply", "--auto-approve", ".")
            Reliability.expectCleanOutcome(apply, "\(context): apply", sourceLocation: sourceLocation)
            last = apply
            if apply.exitCode == 0 { break }
        }
        #expect(
            last?.exitCode == 0, "\(context): apply never converged\n\(last?.output ?? "")",
            sourceLocation: sourceLocation)
        let plan = try reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(context): plan after apply\n\(plan.output)", sourceLocation: sourceLocation)
        let problems = try inventoryProblems()
        #expect(problems.isEmpty, "\(context): \(problems)", sourceLocation: sourceLocation)
        return last?.exitCode == 0 && plan.exitCode == 0 && problems.isEmpty
    }

    /// The JSON plan's steps as (operation, address) pairs.
    func planSteps(_ extra: String...) throws -> (result: ProcessResult, steps: [(operation: String, address: String)])
    {
        let result = try reconcile(arguments: ["plan", "--output", "json"] + extra + ["."])
        let document = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let steps = (document?["steps"] as? [[String: Any]] ?? []).map {
            (operation: $0["operation"] as? String ?? "", address: $0["address"] as? String ?? "")
        }
        return (result, steps)
    }

    /// Copies more manifest folders in.
    func copy(_ source: String) throws {
        let url = PackagePaths.root.appendingPathComponent(source)
        for file in try FileManager.default.contentsOfDirectory(atPath: url.path) where file.hasSuffix(".yaml") {
            try FileManager.default.copyItem(
                at: url.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
    }
}

/// A Python string literal for `text`.
func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
}
