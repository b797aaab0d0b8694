import CustodyCore
import CustodyJSON
import Foundation

extension CycloneDXJSONReader {
    /// Components per chunk: bounded memory, and neither thread waits long for the other.
    static let readAheadChunk = 1_024

    /// `walk` over a large component array on two cores. Reading a component from the tape and
    /// parsing its purl (two thirds of the fact building of a 100,000-component SBOM) depends
    /// on nothing but the component, so chunks of them are read by a helper thread and, when
    /// the chunk it needs next is not ready, by the mapper itself (`ComponentChunks`); the
    /// mapper adds them in document order. An error stops the walk where the one-core walk
    /// would have: after the components, nested ones included, that come before it.
    func walkReadingAhead(_ array: JSONValue, pointer: String, into mapper: inout CycloneDXFactMapper) throws {
        let reader = self
        let chunks = ComponentChunks(array.elements, size: Self.readAheadChunk) { elements, start, number in
            reader.readChunk(of: elements, from: start, number: number, pointer: pointer)
        }
        defer { chunks.stop() }
        DispatchQueue.global().async { chunks.helpReading() }
        var number = 0
        for index in 0..<chunks.count {
            let chunk = chunks.take(index)
            for read in chunk.components {
                mapper.addComponent(read.component)
                if let children = read.children {
                    try walk(children, pointer: JSONPointerText.child(pointer, number) + "/components", into: &mapper)
                }
                number += 1
            }
            if let error = chunk.error { throw error }
        }
    }

    /// Reads up to `readAheadChunk` components of `elements` from `start` on (`number` is the
    /// first one's index in the array), stopping at the first that fails.
    private func readChunk(of elements: JSONArrayView, from start: JSONTapePosition, number: Int, pointer: String)
        -> ComponentChunk {
        var chunk = ComponentChunk()
        chunk.components.reserveCapacity(Self.readAheadChunk)
        var position = start
        while chunk.components.count < Self.readAheadChunk, position < elements.endIndex {
            do {
                var read = try readComponent(elements[position], pointer: JSONPointerText.child(pointer, number + chunk.components.count),
                                             allProperties: false)
                if let purl = read.component.purl, !purl.isEmpty, read.component.type != "file" {
                    read.component.parsedPurl = ParsedPurl(purl)
                }
                chunk.components.append(read)
            } catch {
                chunk.error = error
                break
            }
            position = elements.index(after: position)
        }
        return chunk
    }
}

/// Components read from the tape: those of a chunk up to the first that failed, and its error.
struct ComponentChunk: Sendable {
    var components: [(component: CycloneDXComponent, children: JSONValue?)] = []
    var error: (any Error)?
}

/// The chunks of one component array, each read once by whichever thread claims it first:
/// a helper thread claims them in order, and the mapper, when the chunk it needs is still
/// being read, claims and reads the next unclaimed one instead of waiting; neither claims
/// more than `ahead` chunks beyond the one the mapper needs (bounded memory). Both threads stay busy whichever is faster, and the mapper never
/// reads slower than it would alone.
final class ComponentChunks: @unchecked Sendable {
    typealias Read = @Sendable (JSONArrayView, JSONTapePosition, Int) -> ComponentChunk

    let count: Int
    private let elements: JSONArrayView
    /// Tape position and array index of each chunk's first element.
    private let starts: [(position: JSONTapePosition, number: Int)]
    private let read: Read
    private let ahead = 4
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var chunks: [ComponentChunk?]
    private var nextUnclaimed = 0
    private var taken = 0
    private var stopped = false

    init(_ elements: JSONArrayView, size: Int, read: @escaping Read) {
        var starts: [(JSONTapePosition, Int)] = []
        var position = elements.startIndex
        for number in 0..<elements.count {
            if number % size == 0 { starts.append((position, number)) }
            position = elements.index(after: position)
        }
        self.elements = elements
        self.starts = starts
        self.read = read
        count = starts.count
        chunks = Array(repeating: nil, count: starts.count)
    }

    /// The helper thread's work: claims and reads chunks until none is left or `stop`.
    func helpReading() {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, nextUnclaimed < count {
            if nextUnclaimed - taken >= ahead {
                condition.wait()
                continue
            }
            readClaimed()
        }
    }

    /// Chunk `index` (taken in order, each once).
    func take(_ index: Int) -> ComponentChunk {
        condition.lock()
        defer { condition.unlock() }
        while chunks[index] == nil {
            // Read ahead too, but no further than the helper may.
            if nextUnclaimed < count, nextUnclaimed - index <= ahead { readClaimed() } else { condition.wait() }
        }
        let chunk = chunks[index]!
        chunks[index] = nil
        taken = index + 1
        condition.broadcast()
        return chunk
    }

    /// Ends the helper's work (the walk is over or failed).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Claims the next chunk and reads it without the lock. Called with the lock held.
    private func readClaimed() {
        let index = nextUnclaimed
        nextUnclaimed += 1
        condition.unlock()
        let chunk = read(elements, starts[index].position, starts[index].number)
        condition.lock()
        chunks[index] = chunk
        condition.broadcast()
    }
}
