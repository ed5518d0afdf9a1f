using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    private static readonly GoString UnknownFile = "?";

    /// <summary>
    /// Go: heapdump.go dumpmemprof: every bucket (dumpmemprof_callback), then an alloc sample for every
    /// profile special of an in-use span.
    /// </summary>
    private void DumpMemProf()
    {
        foreach (var b in _state.MemProfBuckets)
        {
            DumpMemProfBucket(b);
        }

        foreach (var (spanBase, special) in _spans.Specials())
        {
            if (special is ProfileSpecial p)
            {
                DumpInt((ulong)RecordKind.AllocSample);
                DumpInt(spanBase + p.Offset);
                DumpInt(p.Bucket);
            }
        }
    }

    /// <summary>
    /// Go: heapdump.go dumpmemprof_callback. A PC findfunc cannot resolve is written as "(0x…)" in lowercase
    /// hex, file "?", line 0; otherwise the function name and funcline's file and line, looked up at pc−1 for
    /// frames after the first when pc is past the entry (a return address points after the call).
    /// </summary>
    private void DumpMemProfBucket(MemProfBucket b)
    {
        DumpInt((ulong)RecordKind.MemProf);
        DumpInt(b.Address);
        DumpInt(b.Size);
        DumpInt((ulong)b.Stack.Length);
        Span<byte> buf = stackalloc byte[64];
        for (var i = 0; i < b.Stack.Length; i++)
        {
            var pc = b.Stack[i];
            var f = _state.FindFunc(pc);
            if (f is null)
            {
                // Go: built backwards in a 64-byte buffer: ')', hex digits (or '0'), 'x', '0', '('.
                var n = buf.Length;
                buf[--n] = (byte)')';
                if (pc == 0)
                {
                    buf[--n] = (byte)'0';
                }
                else
                {
                    for (var v = pc; v > 0; v >>= 4)
                    {
                        buf[--n] = (byte)"0123456789abcdef"[(int)(v & 15)];
                    }
                }

                buf[--n] = (byte)'x';
                buf[--n] = (byte)'0';
                buf[--n] = (byte)'(';
                DumpMemRange(buf[n..]);
                DumpStr(UnknownFile);
                DumpInt(0);
                continue;
            }

            DumpStr(f.Name);
            if (i > 0 && pc > f.Entry)
            {
                pc--;
            }

            // Go: funcline → funcline1: "?", 0 when the function has no table or the file or line is −1.
            if (f.Lines is { } lines && lines.TryLookup(f.Entry, pc, out var line) && line.File is { } file && line.Line != -1)
            {
                DumpStr(file);
                DumpInt((ulong)(long)line.Line); // Go: uint64(line), line an int32
            }
            else
            {
                DumpStr(UnknownFile);
                DumpInt(0);
            }
        }

        DumpInt(b.Allocs);
        DumpInt(b.Frees);
    }
}
