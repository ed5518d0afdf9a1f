using System.Globalization;
using Kaitai;
using Ksy = Kaitai.GoHeapdump;

namespace GoHeapDump.Kaitai;

/// <summary>
/// The Kaitai parser: reads a dump with the code kaitai-struct-compiler generated from spec/go_heapdump.ksy
/// and converts each generated object into the record model. The only code that sees generated types.
/// </summary>
/// <remarks>
/// <para>The generated top-level type would hold every record of the file at once. Instead this reader
/// constructs the generated header type once, then the generated record type again and again on one stream,
/// passing the header's variant as the record type's parameter: memory stays flat whatever the dump's size.</para>
/// <para>Every violation of a structure rule becomes a <see cref="HeapDumpFormatException"/> with the rule,
/// the offset of spec/FORMAT.md "Error offsets", the record index and kind, and the path of the failing
/// attribute in the .ksy. After a failure the reader stays failed: <see cref="Read"/> throws the same error.</para>
/// <para>Memory is flat across records but not within one: the generated objects of a record are all built
/// before it is converted, about 400 bytes per field-list entry (measured). A record too large for that throws
/// <see cref="NotSupportedException"/>, as does a single string over 2 GiB (larger than a .NET array).</para>
/// </remarks>
public sealed class KaitaiHeapDumpReader : IHeapDumpReader
{
    private readonly KaitaiStream _io;
    private readonly bool _archIsString;
    private long _recordIndex;
    private long _guardAt;
    private bool _finished;
    private HeapDumpFormatException? _failure;

    private KaitaiHeapDumpReader(KaitaiStream io)
        : this(io, ReadHeader(io))
    {
    }

    private KaitaiHeapDumpReader(KaitaiStream io, HeaderVersion version)
    {
        _io = io;
        Version = version;
        _archIsString = HeapDumpFormat.ArchIsString(Version);
        _io.MemoryGuard = GuardMemory;
    }

    /// <summary>
    /// How often, in bytes of one record, <see cref="GuardMemory"/> looks at the heap: a record's object tree grows
    /// by about 400 bytes per 2 to 5 bytes of field list, so 32 KiB add at most some 7 MB. GC.GetTotalMemory costs tens
    /// of microseconds a call: run every 4 KiB of every dump, it was a fifth of the samples of a JIT-compiled
    /// `goheapdump parse` (dotnet-trace, 112 MB dump).
    /// </summary>
    internal const long GuardRecordBytes = 32 * 1024;

    /// <summary>
    /// Most bytes the process's managed heap may hold while a record is built: half of what the GC may use
    /// (<c>DOTNET_GCHeapHardLimit</c>, a container's limit, or the machine's memory).
    /// </summary>
    private static readonly long MemoryLimit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>
    /// Stops a record whose object tree would exhaust memory while there is still room to report it: near the
    /// heap limit the runtime cannot even throw OutOfMemoryException reliably (found with DOTNET_GCHeapHardLimit:
    /// a field list of 8 million entries aborted the process with "Out of memory.").
    /// </summary>
    private void GuardMemory()
    {
        if (_io.Pos < _guardAt)
        {
            return;
        }

        _guardAt = _io.Pos + GuardRecordBytes;
        if (GC.GetTotalMemory(forceFullCollection: false) > MemoryLimit && GC.GetTotalMemory(forceFullCollection: true) > MemoryLimit)
        {
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"the record's object tree passed half of the {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes} bytes this process may use"));
        }
    }

    /// <summary>Opens the dump at <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="HeapDumpFormatException">The header is not one of the three variants (S01) or is cut short (S07).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static KaitaiHeapDumpReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Open(new KaitaiStream(path));
    }

    /// <summary>Reads a dump from <paramref name="stream"/> (seekable or not), from its current position.</summary>
    /// <param name="stream">The input.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <exception cref="HeapDumpFormatException">The header is not one of the three variants (S01) or is cut short (S07).</exception>
    public static KaitaiHeapDumpReader Open(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Open(new KaitaiStream(stream, leaveOpen));
    }

    /// <summary>
    /// Opens a reader on the records from offset <paramref name="origin"/> of the dump at <paramref name="path"/>, whose
    /// header (read by another reader) says <paramref name="version"/>. Offsets count from the dump's start; record
    /// indices from <paramref name="firstIndex"/>. Whether a record starts at <paramref name="origin"/> is the caller's
    /// to know or to check (the CLI's segmented parse checks it).
    /// </summary>
    internal static KaitaiHeapDumpReader OpenAt(string path, HeaderVersion version, long origin, long firstIndex)
    {
        var io = new KaitaiStream(path);
        try
        {
            io.Seek(origin);
            return new KaitaiHeapDumpReader(io, version) { _recordIndex = firstIndex };
        }
        catch
        {
            io.Dispose();
            throw;
        }
    }

    private static KaitaiHeapDumpReader Open(KaitaiStream io)
    {
        try
        {
            return new KaitaiHeapDumpReader(io);
        }
        catch
        {
            io.Dispose();
            throw;
        }
    }

    public HeaderVersion Version { get; }

    public long Position => _io.Pos;

    public long RecordIndex => _recordIndex;

    public HeapDumpRecord? Read()
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        if (_finished)
        {
            return null;
        }

        try
        {
            return ReadRecord();
        }
        catch (HeapDumpFormatException e)
        {
            _failure = e;
            throw;
        }
    }

    public void Dispose() => _io.Dispose();

    private HeapDumpRecord ReadRecord()
    {
        if (_io.IsEof)
        {
            throw new HeapDumpFormatException(StructureRules.MissingEof,
                "input ends before the EOF record (a complete dump ends with tag 0)", _io.Pos, _recordIndex, null, null);
        }

        var start = _io.Pos;
        _guardAt = start + GuardRecordBytes;
        var record = new Ksy.Record(_archIsString, _io);
        HeapDumpRecord result;
        try
        {
            record._read();
            result = Convert(record);
        }
        catch (ValidationFailedError e)
        {
            throw ValidationFailure(e, record);
        }
        catch (EndOfStreamException e)
        {
            throw Truncation(e, record);
        }
        catch (OutOfMemoryException e) // InsufficientMemoryException (GuardMemory) derives from it
        {
            // The generated object tree costs about 400 bytes per field-list entry (2 to 5 bytes in the file), so
            // one object with tens of millions of pointer fields can exhaust memory. Not a format error: the record
            // may well be valid. Let the half-built tree go before allocating the message, or building it fails
            // too under a heap limit (found with DOTNET_GCHeapHardLimit: the bare OutOfMemoryException escaped).
            record = null!;
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"record #{_recordIndex} at offset {start} is too large for the Kaitai parser's object model: {e.Message}"), e);
        }

        if (result.Kind == RecordKind.Eof)
        {
            if (!_io.IsEof)
            {
                // Go: mdump writes tagEOF last; anything after it is not part of the dump.
                throw new HeapDumpFormatException(StructureRules.TrailingBytes,
                    "bytes follow the EOF record", _io.Pos, _recordIndex + 1, null, "/seq/2");
            }

            _finished = true;
        }

        _recordIndex++;
        return result;
    }

    // ------------------------------------------------------------------ header

    private static HeaderVersion ReadHeader(KaitaiStream io)
    {
        var header = new Ksy.DumpHeader(io);
        try
        {
            header._read();
        }
        catch (ValidationFailedError e)
        {
            throw new HeapDumpFormatException(StructureRules.HeaderMagic, DescribeHeaderMismatch(e), io.LastReadStart, -1, null, e.SrcPath, e);
        }
        catch (EndOfStreamException e)
        {
            var offset = e is KaitaiEndOfStreamException k ? k.Position : io.Pos;
            // The header is read in three parts; the path names the part that was cut.
            var part = offset < HeapDumpFormat.HeaderMinorOffset ? 0 : offset < HeapDumpFormat.HeaderSuffixOffset ? 1 : 2;
            throw new HeapDumpFormatException(StructureRules.Truncated,
                string.Create(CultureInfo.InvariantCulture, $"input ends inside the {HeapDumpFormat.HeaderLength}-byte header"),
                offset, -1, null, $"/types/dump_header/seq/{part}", e);
        }

        return header.Minor switch
        {
            Ksy.HeaderVersion.Go15 => HeaderVersion.Go15,
            Ksy.HeaderVersion.Go16 => HeaderVersion.Go16,
            Ksy.HeaderVersion.Go17 => HeaderVersion.Go17,
            _ => throw new InvalidOperationException($"internal error: header minor {header.Minor} passed validation"),
        };
    }

    private static string DescribeHeaderMismatch(ValidationFailedError e) => e switch
    {
        ValidationNotEqualError { Expected: byte[] expected, Actual: byte[] actual } =>
            $"header reads {Quote(actual)} where {Quote(expected)} belongs",
        ValidationNotInEnumError { Actual: var actual } =>
            $"header version digit is {Quote([System.Convert.ToByte(actual, CultureInfo.InvariantCulture)])}, expected \"5\", \"6\" or \"7\"",
        _ => e.Message,
    };

    /// <summary>Bytes as a quoted string with non-printable bytes escaped (<c>"go1.8 heap dump\n"</c>).</summary>
    private static string Quote(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (var b in bytes)
        {
            _ = b switch
            {
                (byte)'\n' => text.Append("\\n"),
                (byte)'"' => text.Append("\\\""),
                (byte)'\\' => text.Append("\\\\"),
                >= 0x20 and < 0x7f => text.Append((char)b),
                _ => text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            };
        }

        return text.Append('"').ToString();
    }

    // ------------------------------------------------------------------ errors in records

    private HeapDumpFormatException ValidationFailure(ValidationFailedError e, Ksy.Record record)
    {
        var chain = PartialRead.LocateCheck(record, e.SrcPath);
        var leaf = chain[^1].Struct;
        // Each check directly follows the uvarint it tests, so the last byte read is the offending one:
        // the uvarint's last byte (S04, S05, S06) or its 10th byte (S02, S03). Go: encoding/binary.Uvarint.
        var offset = _io.LastReadStart;
        var (rule, detail) = e.SrcPath switch
        {
            // The 10th byte's one check (0 or 1) covers two rules: with the continuation bit it announces an 11th byte.
            "/types/uvarint/seq/9" when TenthByte(leaf) >= 0x80 => (StructureRules.UvarintTooLong,
                string.Create(CultureInfo.InvariantCulture, $"uvarint longer than {HeapDumpFormat.MaxUvarintLength} bytes: its 10th byte 0x{TenthByte(leaf):x2} has the continuation bit")),
            "/types/uvarint/seq/9" => (StructureRules.UvarintOverflow,
                string.Create(CultureInfo.InvariantCulture, $"uvarint overflows 64 bits: its 10th byte is 0x{TenthByte(leaf):x2}, at most 0x01 allowed")),
            "/types/go_bool/seq/1" => (StructureRules.BoolValue,
                string.Create(CultureInfo.InvariantCulture, $"bool is {(leaf as Ksy.GoBool)?.Code.Value}, expected 0 or 1")),
            "/types/record/seq/1" => (StructureRules.UnknownTag,
                string.Create(CultureInfo.InvariantCulture, $"unknown record tag {record.TagCode.Value} (tags are 0..{HeapDumpFormat.MaxRecordTag})")),
            "/types/field/seq/1" => (StructureRules.UnknownFieldKind,
                string.Create(CultureInfo.InvariantCulture, $"unknown field kind {(leaf as Ksy.Field)?.KindCode.Value} (kinds are 0..{HeapDumpFormat.MaxFieldKind})")),
            _ => throw new InvalidOperationException($"internal error: no structure rule for the .ksy check {e.SrcPath}", e),
        };
        return new HeapDumpFormatException(rule, detail, offset, _recordIndex, KindOf(record), PartialRead.Render(chain, e.SrcPath), e);
    }

    private HeapDumpFormatException Truncation(EndOfStreamException e, Ksy.Record record)
    {
        var chain = PartialRead.Locate(record);
        var leaf = chain[^1].Struct;
        var offset = e is KaitaiEndOfStreamException k ? k.Position : _io.Pos;
        var detail = leaf switch
        {
            Ksy.GoString s when s.Len is { } len && e is KaitaiEndOfStreamException { Available: >= 0 } eos =>
                string.Create(CultureInfo.InvariantCulture, $"input ends inside a string: its {len.Value} bytes start here, {eos.Available} remain"),
            Ksy.GoString s when s.Len is { } len =>
                string.Create(CultureInfo.InvariantCulture, $"input ends inside a string of {len.Value} bytes starting here"),
            Ksy.Uvarint => "input ends inside a uvarint",
            _ => "input ends inside a record",
        };
        return new HeapDumpFormatException(StructureRules.Truncated, detail, offset, _recordIndex, KindOf(record), PartialRead.Render(chain, null), e);
    }

    private static byte TenthByte(KaitaiStruct? leaf) =>
        leaf is Ksy.Uvarint { B9: { } tenth } ? tenth : (byte)0;

    /// <summary>The record's kind once its tag was read and found valid.</summary>
    private static RecordKind? KindOf(Ksy.Record record) =>
        record.TagIsKnown is not null && record.TagCode.Value <= HeapDumpFormat.MaxRecordTag ? (RecordKind)record.TagCode.Value : null;

    // ------------------------------------------------------------------ conversion to the record model

    private static HeapDumpRecord Convert(Ksy.Record record)
    {
        switch (record.Body)
        {
            case Ksy.EofRecord:
                return EofRecord.Instance;
            case Ksy.ObjectRecord r:
                return new ObjectRecord(r.Address.Value, Str(r.Contents), Fields(r.Fields));
            case Ksy.OtherRootRecord r:
                return new OtherRootRecord(Str(r.Description), r.Pointer.Value);
            case Ksy.TypeRecord r:
                return new TypeRecord(r.Address.Value, r.Size.Value, Str(r.Name), r.IfaceDataIsPointer.Value);
            case Ksy.GoroutineRecord r:
                return new GoroutineRecord(
                    r.Address.Value, r.Sp.Value, r.Goid.Value, r.Gopc.Value, r.Status.Value, r.IsSystem.Value,
                    r.IsBackground.Value, r.WaitSince.Value, Str(r.WaitReason), r.Ctxt.Value, r.M.Value,
                    r.TopDefer.Value, r.TopPanic.Value);
            case Ksy.StackFrameRecord r:
                return new StackFrameRecord(
                    r.Sp.Value, r.Depth.Value, r.ChildSp.Value, Str(r.Contents), r.EntryPc.Value, r.Pc.Value,
                    r.ContinuationPc.Value, Str(r.Name), Fields(r.Fields));
            case Ksy.ParamsRecord r:
                return r.ArchIsString
                    ? ParamsRecord.WithArch(r.BigEndian.Value, r.PtrSize.Value, r.HeapStart.Value, r.HeapEnd.Value, Str(r.Arch), Str(r.VersionInfo), r.Ncpu.Value)
                    : ParamsRecord.WithTheChar(r.BigEndian.Value, r.PtrSize.Value, r.HeapStart.Value, r.HeapEnd.Value, r.Thechar.Value, Str(r.VersionInfo), r.Ncpu.Value);
            case Ksy.FinalizerRecord r:
                return new FinalizerRecord(r.Object.Value, r.Funcval.Value, r.EntryPc.Value, r.ArgType.Value, r.ObjectType.Value);
            case Ksy.ItabRecord r:
                return new ItabRecord(r.Address.Value, r.TypeAddress.Value);
            case Ksy.OsThreadRecord r:
                return new OsThreadRecord(r.Address.Value, r.Id.Value, r.Procid.Value);
            case Ksy.MemStatsRecord r:
                return MemStats(r);
            case Ksy.QueuedFinalizerRecord r:
                return new QueuedFinalizerRecord(r.Object.Value, r.Funcval.Value, r.EntryPc.Value, r.ArgType.Value, r.ObjectType.Value);
            case Ksy.DataRecord r:
                return new DataRecord(r.Address.Value, Str(r.Contents), Fields(r.Fields));
            case Ksy.BssRecord r:
                return new BssRecord(r.Address.Value, Str(r.Contents), Fields(r.Fields));
            case Ksy.DeferRecord r:
                return new DeferRecord(r.Address.Value, r.Goroutine.Value, r.Sp.Value, r.Pc.Value, r.Funcval.Value, r.EntryPc.Value, r.Link.Value);
            case Ksy.PanicRecord r:
                return new PanicRecord(r.Address.Value, r.Goroutine.Value, r.ArgType.Value, r.ArgData.Value, r.Defer.Value, r.Link.Value);
            case Ksy.MemProfRecord r:
                return MemProf(r);
            case Ksy.AllocSampleRecord r:
                return new AllocSampleRecord(r.Object.Value, r.Bucket.Value);
            default:
                throw new InvalidOperationException($"internal error: tag {record.TagCode.Value} produced body {record.Body?.GetType().Name ?? "null"}");
        }
    }

    /// <summary>The generated body array is fresh per string, so the record takes it over without a copy.</summary>
    private static GoString Str(Ksy.GoString s) => s.Body.Length == 0 ? GoString.Empty : new GoString(s.Body);

    private static EquatableArray<Field> Fields(Ksy.FieldList list)
    {
        // The last entry is the eol marker, which the record model does not list.
        var entries = list.Entries;
        var count = entries.Count - 1;
        if (count == 0)
        {
            return Array.Empty<Field>();
        }

        var fields = new Field[count];
        for (var i = 0; i < count; i++)
        {
            var entry = entries[i];
            fields[i] = new Field((FieldKind)entry.KindCode.Value, entry.Offset.Value);
        }

        return fields;
    }

    private static MemStatsRecord MemStats(Ksy.MemStatsRecord r)
    {
        ulong[] scalars =
        [
            r.Alloc.Value, r.TotalAlloc.Value, r.Sys.Value, r.Lookups.Value, r.Mallocs.Value, r.Frees.Value,
            r.HeapAlloc.Value, r.HeapSys.Value, r.HeapIdle.Value, r.HeapInuse.Value, r.HeapReleased.Value,
            r.HeapObjects.Value, r.StackInuse.Value, r.StackSys.Value, r.MspanInuse.Value, r.MspanSys.Value,
            r.McacheInuse.Value, r.McacheSys.Value, r.BuckHashSys.Value, r.GcSys.Value, r.OtherSys.Value,
            r.NextGc.Value, r.LastGc.Value, r.PauseTotalNs.Value,
        ];
        var pauses = new ulong[r.PauseNs.Count];
        for (var i = 0; i < pauses.Length; i++)
        {
            pauses[i] = r.PauseNs[i].Value;
        }

        return new MemStatsRecord(scalars, pauses, r.NumGc.Value);
    }

    private static MemProfRecord MemProf(Ksy.MemProfRecord r)
    {
        var frames = new MemProfFrame[r.Frames.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            var f = r.Frames[i];
            frames[i] = new MemProfFrame(Str(f.FuncName), Str(f.File), f.Line.Value);
        }

        return new MemProfRecord(r.Address.Value, r.Size.Value, frames, r.Allocs.Value, r.Frees.Value);
    }
}
