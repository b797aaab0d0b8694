/// The evidence paths of an answer. Reads as an array of paths (arrays of path elements) and
/// encodes as one; stored as every distinct element once plus, per path, the indices of its
/// elements: the paths of a large blast radius repeat the same few thousand edges and nodes
/// tens of thousands of times, and the JSON renderer writes each distinct element's text once.
public struct PathList: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public typealias PathElement = BlastRadiusResult.PathElement

    /// Every distinct element, in order of first use.
    public private(set) var elements: [PathElement] = []
    /// Each path as indices into `elements`.
    public private(set) var layout: [[Int32]] = []

    public init() {}

    public init(_ paths: some Sequence<[PathElement]>) {
        var index: [PathElement: Int32] = [:]
        for path in paths {
            layout.append(path.map { element in
                if let existing = index[element] { return existing }
                let next = add(element)
                index[element] = next
                return next
            })
        }
    }

    public init(arrayLiteral paths: [PathElement]...) {
        self.init(paths)
    }

    /// Adds an element the caller knows is new (it keeps its own index, by edge or node id,
    /// cheaper than hashing elements) and returns its index.
    mutating func add(_ element: PathElement) -> Int32 {
        elements.append(element)
        return Int32(elements.count - 1)
    }

    /// Adds a path given as indices returned by `add`.
    mutating func append(layout path: [Int32]) {
        layout.append(path)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { layout.count }
    public subscript(position: Int) -> [PathElement] { layout[position].map { elements[Int($0)] } }

    public static func == (lhs: PathList, rhs: PathList) -> Bool { lhs.elementsEqual(rhs) }
}

extension PathList: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [[PathElement]](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}

