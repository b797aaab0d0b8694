/// A set kept as an array while it is small and as a hash set once it is not.
///
/// The lists a Kubernetes pod names (its containers, their images, its secrets) hold a
/// handful of entries, where a linear search beats hashing; a crafted pod can name tens of
/// thousands, where a linear search per entry made ingest quadratic (a 5 MB pod of 40,000
/// containers took 44 s). Insertion order is kept (`elements`).
struct SmallSet<Element: Hashable> {
    /// Past this many elements, membership goes through `index`.
    static var linearLimit: Int { 16 }

    private(set) var elements: [Element] = []
    private var index: Set<Element>?

    init() {}

    func contains(_ element: Element) -> Bool {
        if let index { return index.contains(element) }
        return elements.contains(element)
    }

    /// Adds `element` unless present; whether it was added.
    @discardableResult
    mutating func insert(_ element: Element) -> Bool {
        if index == nil, elements.count >= Self.linearLimit { index = Set(elements) }
        if index != nil {
            guard index!.insert(element).inserted else { return false }
        } else if elements.contains(element) {
            return false
        }
        elements.append(element)
        return true
    }
}
