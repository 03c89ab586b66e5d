/// "Did you mean" suggestions for misspelt keys and values.
enum Suggestion {
    /// The closest candidate (case-insensitive) within a small edit distance, or one
    /// that the word abbreviates by leaving letters out (`retentionHours` →
    /// `retentionPeriodHours`), if any.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        // Short words get a tight bound, or `b` would "mean" `a`.
        let threshold = word.count <= 3 ? min(1, word.count - 1) : max(2, word.count / 3)
        var best: (candidate: String, distance: Int)? = nil
        for candidate in candidates {
            let target = candidate.lowercased()
            let distance = editDistance(lowered, target)
            let abbreviates =
                lowered.count >= 4 && (isSubsequence(lowered, of: target) || isSubsequence(target, of: lowered))
            if distance <= threshold || abbreviates, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    private static func isSubsequence(_ short: String, of long: String) -> Bool {
        var remaining = Substring(short)
        for character in long where remaining.first == character { remaining = remaining.dropFirst() }
        return remaining.isEmpty
    }

    /// ` (did you mean 'x'?)` or nothing.
    static func hint(for word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance; the words are keys and enum values, so quadratic is fine
    /// (anything longer than 64 characters is never a near miss).
    static func editDistance(_ first: String, _ second: String) -> Int {
        let first = Array(first.prefix(64))
        let second = Array(second.prefix(64))
        if first.isEmpty { return second.count }
        if second.isEmpty { return first.count }
        var previous = Array(0...second.count)
        var current = Array(repeating: 0, count: second.count + 1)
        for i in 1...first.count {
            current[0] = i
            for j in 1...second.count {
                let substitution = previous[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[second.count]
    }
}
