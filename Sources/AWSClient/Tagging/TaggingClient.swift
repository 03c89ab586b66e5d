import Formats
import Foundation

/// The Resource Groups Tagging API over JSON 1.1 in one region: the tags of many resources per call.
///
/// Its answers are eventually consistent (a tag change can take a while to show); callers that
/// need an exact answer confirm with the resource's own service.
public struct TaggingClient: ServiceClient {
    let endpoint: ServiceEndpoint

    static let wire = JSONProtocol(targetPrefix: "ResourceGroupsTaggingAPI_20170126")
    /// The largest page AWS allows (`ResourcesPerPage`: 1 to 100).
    public static let maximumPageSize = 100

    /// Every tagged (or once tagged) resource of these types in the region, with its tags (every page).
    ///
    /// - Parameters:
    ///   - tagFilters: only resources that match every filter (none: all of them).
    ///   - pageSize: `ResourcesPerPage`, 1 to 100.
    public func getResources(
        types: [TaggedResourceType], tagFilters: [TagFilter] = [], pageSize: Int = TaggingClient.maximumPageSize
    ) async throws -> [TaggedResource] {
        var base: [String: JSONValue] = [
            "ResourceTypeFilters": .array(types.map { .string($0.rawValue) }),
            "ResourcesPerPage": .int(min(max(pageSize, 1), Self.maximumPageSize))
        ]
        if !tagFilters.isEmpty { base["TagFilters"] = .array(tagFilters.map(\.json)) }
        var resources: [TaggedResource] = []
        var token: String?
        while true {
            var input = base
            if let token { input["PaginationToken"] = .string(token) }
            let answer = try await send(.getResources, .object(input))
            resources += (answer["ResourceTagMappingList"]?.arrayValue ?? []).compactMap(TaggedResource.init(json:))
            // The last page has an empty (or no) token; pages can be short before that.
            guard let next = answer["PaginationToken"]?.stringValue, !next.isEmpty else { return resources }
            token = next
        }
    }
}
