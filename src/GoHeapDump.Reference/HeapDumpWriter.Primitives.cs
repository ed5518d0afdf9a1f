using System.Runtime.CompilerServices;

namespace GoHeapDump.Reference;

// Go: runtime/heapdump.go dumpint, dumpbool, dumpmemrange, dumpstr, dumpbv, dumpfields: every primitive is
// its own dwrite call(s), which decides where the 4 KiB buffer is cut.
public sealed partial class HeapDumpWriter
{
    /// <summary>Go: dumpint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DumpInt(ulong value) => _out.WriteUvarint(value);

    /// <summary>Go: dumpbool.</summary>
    private void DumpBool(bool value) => _out.WriteUvarint(value ? 1UL : 0UL);

    /// <summary>Go: dumpmemrange (also dumpslice and dumpstr): length, then the bytes, two dwrites.</summary>
    private void DumpMemRange(ReadOnlySpan<byte> data)
    {
        DumpInt((ulong)data.Length);
        _out.Write(data);
    }

    /// <summary>Go: dumpstr.</summary>
    private void DumpStr(GoString value) => DumpMemRange(value.Span);

    /// <summary>One pointer field at <paramref name="offset"/> (pointer-width arithmetic). Go: dumpbv's body.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void DumpPtrField(ulong offset)
    {
        DumpInt((ulong)FieldKind.Ptr);
        DumpInt(offset & _mask);
    }

    /// <summary>Go: dumpbv: a pointer field for every set bit i, at offset + i·PtrSize.</summary>
    private void DumpBv(Runtime.BitVector bv, ulong offset)
    {
        for (var i = 0; i < bv.Length; i++)
        {
            if (bv[i])
            {
                DumpPtrField(offset + ((ulong)i * (ulong)_ptrSize));
            }
        }
    }

    /// <summary>Go: dumpfields: dumpbv at offset 0, then the end marker.</summary>
    private void DumpFields(Runtime.BitVector bv)
    {
        DumpBv(bv, 0);
        DumpInt((ulong)FieldKind.Eol);
    }
}
