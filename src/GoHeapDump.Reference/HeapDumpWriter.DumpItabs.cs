using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>Go: typeCacheBuckets.</summary>
    private const int TypeCacheBuckets = 256;

    /// <summary>Go: typeCacheAssoc.</summary>
    private const int TypeCacheAssoc = 4;

    /// <summary>Go: typecache, bucket b at [b·4, b·4+4), most recently used first. Holds type addresses; 0 is empty (no type lives at 0).</summary>
    private readonly ulong[] _typeCache = new ulong[TypeCacheBuckets * TypeCacheAssoc];

    /// <summary>Go: heapdump.go dumpitabs / itab_callback: each itab's type through the cache, then the itab.</summary>
    private void DumpItabs()
    {
        foreach (var tab in _state.Itabs)
        {
            var type = tab.Type;
            if (_release.ItabTypeIsPtrTo && type is { DirectIface: false })
            {
                // Go 1.5/1.6 itab_callback: "indirect - data slot is a pointer to t": dumptype(t.ptrto).
                type = type.PtrTo;
            }

            DumpType(type);
            DumpInt((ulong)RecordKind.Itab);
            DumpInt(tab.Address);
            DumpInt(type?.Address ?? 0);
        }
    }

    /// <summary>
    /// Go: heapdump.go dumptype. A type is written unless it is in its bucket (hash &amp; 255); a hit moves it
    /// to the front, a miss inserts it at the front and drops the least recent of the four, so an evicted
    /// type is written again the next time.
    /// </summary>
    private void DumpType(RuntimeType? t)
    {
        if (t is null)
        {
            return;
        }

        var bucket = (int)(t.Hash & (TypeCacheBuckets - 1)) * TypeCacheAssoc;
        var cache = _typeCache.AsSpan(bucket, TypeCacheAssoc);
        if (cache[0] == t.Address)
        {
            return;
        }

        for (var i = 1; i < TypeCacheAssoc; i++)
        {
            if (cache[i] == t.Address)
            {
                if ((_faults & WriterFaults.TypeCacheNoMoveToFront) != 0)
                {
                    return;
                }

                for (var j = i; j > 0; j--)
                {
                    cache[j] = cache[j - 1];
                }

                cache[0] = t.Address;
                return;
            }
        }

        for (var j = TypeCacheAssoc - 1; j > 0; j--)
        {
            cache[j] = cache[j - 1];
        }

        cache[0] = t.Address;

        DumpInt((ulong)RecordKind.Type);
        DumpInt(t.Address);
        DumpInt(t.Size);
        if (t.PkgPath is not { Length: > 0 } pkgPath)
        {
            DumpMemRange(TypeString(t));
        }
        else
        {
            // Go: pkgpath + "." + name, written as a length and three dwrites.
            var name = TypeName(t);
            DumpInt((ulong)(pkgPath.Length + 1 + name.Length));
            _out.Write(pkgPath.Span);
            _out.WriteByte((byte)'.');
            _out.Write(name);
        }

        DumpBool(!t.DirectIface || t.PtrData != 0);
    }

    /// <summary>Go: runtime/type.go (*_type).string: the name data without its first byte when tflagExtraStar is set.</summary>
    private static ReadOnlySpan<byte> TypeString(RuntimeType t) => t.ExtraStar ? t.Str.Span[1..] : t.Str.Span;

    /// <summary>
    /// Go: runtime/type.go (*_type).name: "" unless tflagNamed; else what follows the last '.' of t.string()
    /// that is not inside square brackets (type arguments, Go 1.18+), scanning from the end.
    /// </summary>
    private ReadOnlySpan<byte> TypeName(RuntimeType t)
    {
        if (!t.Named)
        {
            return [];
        }

        var s = TypeString(t);
        var i = s.Length - 1;
        var sqBrackets = 0;
        while (i >= 0 && (s[i] != '.' || sqBrackets != 0))
        {
            // Before Go 1.18 name() took what follows the last '.', brackets or not.
            switch (_release.GenericTypeNames ? s[i] : 0)
            {
                case (byte)']': sqBrackets++; break;
                case (byte)'[': sqBrackets--; break;
            }

            i--;
        }

        return s[(i + 1)..];
    }
}
