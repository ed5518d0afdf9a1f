using System.Runtime.InteropServices;
using GoHeapDump.Reference;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// A sink that makes one write(2) per runtime write call on a file descriptor, as the Go runtime does
/// (runtime/heapdump.go write(dumpfd, …)), without FileStream's bookkeeping. Linux only.
/// </summary>
internal sealed partial class RawWriteSink(int fd) : DumpSink
{
    public override void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = NativeWrite(fd, data, (nuint)data.Length);
            if (n < 0)
            {
                throw new IOException($"write failed: errno {Marshal.GetLastPInvokeError()}");
            }

            data = data[(int)n..];
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint NativeWrite(int fd, ReadOnlySpan<byte> buffer, nuint count);
}
