#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONArrayView {
    /// Hands the tape memory of the elements in `positions` back to the kernel (the whole
    /// pages inside it): a reader that walks a large array once and keeps nothing of what it
    /// read (the components of a 100,000-component SBOM: two thirds of the tape) frees it as
    /// it goes instead of at the end. The walk of an SBOM streamed into a new case runs
    /// beside SQLite's writes, and this is what keeps the two within the memory budget.
    ///
    /// Those elements must not be read afterwards (their tape words read as zero); the
    /// document's bytes and the rest of the tape are untouched. Does nothing where the
    /// platform has no `madvise`.
    public func releaseElements(_ positions: Range<JSONTapePosition>) {
        guard positions.lowerBound.tapeIndex >= start, positions.upperBound.tapeIndex <= end else { return }
        #if canImport(Glibc) || canImport(Darwin)
        document.tape.withUnsafeBufferPointer { tape in
            guard let base = tape.baseAddress else { return }
            let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
            let from = UInt(bitPattern: base + positions.lowerBound.tapeIndex)
            let to = UInt(bitPattern: base + positions.upperBound.tapeIndex)
            let first = (from + page - 1) / page * page
            let last = to / page * page
            guard last > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(pointer, Int(last - first), Int32(MADV_DONTNEED))
        }
        #endif
    }
}
