import Foundation

/// Reads a profile's IAM Identity Center settings: `sso_session` with its `[sso-session NAME]`
/// section (`sso_start_url`, `sso_region`), or the legacy `sso_start_url` + `sso_region` in the profile;
/// both need `sso_account_id` and `sso_role_name`.
struct SSOSettingsReader {
    let profile: String
    let settings: [String: String]
    let context: CredentialContext

    func provider() throws -> SSOProvider? {
        let sessionName = settings["sso_session"]
        guard sessionName != nil || settings["sso_start_url"] != nil || settings["sso_account_id"] != nil else {
            return nil
        }
        var values = settings
        if let sessionName {
            guard let session = context.profiles.ssoSession(sessionName) else {
                throw error(
                    "its sso_session '\(sessionName)' has no [sso-session \(sessionName)] section",
                    "add the section (aws configure sso writes it)")
            }
            for key in ["sso_start_url", "sso_region"] {
                if let profileValue = settings[key], let sessionValue = session[key], profileValue != sessionValue {
                    throw error("\(key) differs between the profile and sso-session \(sessionName)", "keep one value")
                }
                values[key] = session[key] ?? settings[key]
            }
        }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { (values[$0] ?? "").isEmpty }
        guard missing.isEmpty, let home = context.environment.home else {
            throw error(
                "IAM Identity Center needs \(missing.joined(separator: ", "))",
                "run `aws configure sso --profile \(profile)`")
        }
        let startURL = values["sso_start_url"] ?? ""
        let provider = SSOProvider(
            settings: SSOProvider.Settings(
                profile: profile, accountId: values["sso_account_id"] ?? "", roleName: values["sso_role_name"] ?? "",
                startURL: startURL, region: values["sso_region"] ?? "", sessionName: sessionName),
            cache: SSOTokenCache(home: home, sessionName: sessionName, startURL: startURL), context: context)
        return provider
    }

    private func error(_ reason: String, _ fix: String) -> CredentialProviderError {
        CredentialProviderError(source: "profile '\(profile)' in \(context.profiles.places)", reason: reason, fix: fix)
    }
}
