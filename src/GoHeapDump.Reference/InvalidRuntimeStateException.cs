namespace GoHeapDump.Reference;

/// <summary>
/// The runtime state is one the Go runtime cannot dump: its dump code would <c>throw</c> (a fatal error that
/// kills the process). Carries the runtime's throw message (e.g. "dumpgs in STW - bad status") and what it
/// printed before. Not a format error (<see cref="HeapDumpFormatException"/>, bad input bytes) and not a bad
/// model (<see cref="ArgumentException"/>): the model is valid, the runtime just dies on it.
/// </summary>
public sealed class InvalidRuntimeStateException : Exception
{
    public InvalidRuntimeStateException()
        : this("fatal error")
    {
    }

    public InvalidRuntimeStateException(string message)
        : base(message)
    {
        GoThrow = message;
        RuntimePrint = "";
    }

    public InvalidRuntimeStateException(string message, Exception innerException)
        : base(message, innerException)
    {
        GoThrow = message;
        RuntimePrint = "";
    }

    /// <summary>A throw with the runtime's message and the line it printed before throwing.</summary>
    public InvalidRuntimeStateException(string goThrow, string runtimePrint, long bytesWritten)
        : base($"{(runtimePrint.Length > 0 ? runtimePrint + "; " : "")}fatal error: {goThrow} (the runtime dies here; {bytesWritten} bytes had been written)")
    {
        GoThrow = goThrow;
        RuntimePrint = runtimePrint;
        BytesWritten = bytesWritten;
    }

    /// <summary>The runtime's throw string, e.g. "freemark array doesn't have enough entries".</summary>
    public string GoThrow { get; }

    /// <summary>What the runtime printed before throwing (e.g. "runtime: unexpected G.status 0x2"), or empty.</summary>
    public string RuntimePrint { get; }

    /// <summary>Bytes the runtime had written to the file (write calls completed) when it died.</summary>
    public long BytesWritten { get; }
}
