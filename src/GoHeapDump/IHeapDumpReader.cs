namespace GoHeapDump;

/// <summary>
/// A parser that yields a dump's records one at a time, so memory stays flat on big files.
/// Implemented independently by the Kaitai parser and the fast reader; they meet only here and in the records.
/// </summary>
/// <remarks>
/// The header is read when the reader is created (a bad header throws there). <see cref="Read"/> returns each
/// record in file order, the EOF record included, and null once the EOF record has been returned and the
/// input ends right after it. Every violation of a structure rule throws <see cref="HeapDumpFormatException"/>:
/// input ending between records without an EOF record (S08), bytes after the EOF record (S09), and so on.
/// </remarks>
public interface IHeapDumpReader : IDisposable
{
    /// <summary>The header variant.</summary>
    HeaderVersion Version { get; }

    /// <summary>Offset of the next record's first byte (after the last record returned).</summary>
    long Position { get; }

    /// <summary>Index of the next record (0 = the first record after the header).</summary>
    long RecordIndex { get; }

    /// <summary>The next record, or null after the EOF record at the end of input.</summary>
    /// <exception cref="HeapDumpFormatException">The input breaks a structure rule.</exception>
    HeapDumpRecord? Read();
}
