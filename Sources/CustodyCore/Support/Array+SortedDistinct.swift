extension Array where Element: Equatable {
    /// Drops each element equal to the one before it (a sorted array becomes distinct), in
    /// place: for id lists of thousands, where a `Set` would hash every element. Inlinable so
    /// that callers in other modules get it specialized for their element type.
    @inlinable public mutating func removeDuplicatesInSorted() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
