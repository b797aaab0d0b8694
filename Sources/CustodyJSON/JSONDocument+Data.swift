#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `Data` entry point, kept in its own file so the parser itself stays Foundation-free.
extension JSONDocument {
    /// Parses a copy of `data` (one memcpy; the parser needs a stable contiguous buffer).
    public convenience init(data: Data, limits: JSONLimits = .default) throws(JSONError) {
        try self.init(bytes: [UInt8](data), limits: limits)
    }
}
