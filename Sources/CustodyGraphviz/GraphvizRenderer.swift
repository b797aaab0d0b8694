import CGraphviz
import CustodyCore
import Foundation

/// Renders DOT text to SVG, PNG or PDF in-process through libgvc. DOT itself is produced as
/// plain deterministic text by CustodyExport; this target only owns the C lifecycle.
public enum GraphvizRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case svg, png, pdf
    }

    /// libgvc keeps global state (plugins, error buffers) that is not thread-safe.
    private static let lock = NSLock()

    public static func render(dot: String, as format: Format, layout: String = "dot") throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        guard let context = gvContext() else { throw CustodyError(.internalError, "Graphviz could not start") }
        defer { gvFreeContext(context) }
        guard let graph = agmemread(dot) else {
            throw CustodyError(.internalError, "Graphviz could not read the generated DOT")
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, layout) == 0 else {
            throw CustodyError(.internalError, "Graphviz layout \(layout) failed")
        }
        defer { gvFreeLayout(context, graph) }
        var buffer: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(context, graph, format.rawValue, &buffer, &length) == 0, let buffer else {
            throw CustodyError(.internalError, "Graphviz could not render \(format.rawValue)")
        }
        defer { gvFreeRenderData(buffer) }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }
}
