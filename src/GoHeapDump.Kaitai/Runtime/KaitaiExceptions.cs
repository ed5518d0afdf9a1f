using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kaitai;

// The exception types generated code throws. Their names and constructor shapes are fixed by
// kaitai-struct-compiler's C# output (hence "Error", not "Exception"); the properties are ours.
#pragma warning disable CA1710 // Identifiers should have correct suffix: names fixed by the generated code.
#pragma warning disable CA1032 // Standard exception constructors: generated code uses only these shapes.

/// <summary>A read ran past the end of the input.</summary>
public sealed class KaitaiEndOfStreamException : EndOfStreamException
{
    /// <param name="position">Position at which the failing read began.</param>
    /// <param name="requested">Bytes the read needed; -1 when reading up to a terminator.</param>
    /// <param name="available">Bytes that were left (-1 when unknown).</param>
    public KaitaiEndOfStreamException(long position, long requested, long available)
        : this(position, requested, available, Describe(position, requested, available))
    {
    }

    /// <param name="position">Position at which the failing read began.</param>
    /// <param name="requested">Bytes the read needed; -1 when reading up to a terminator.</param>
    /// <param name="available">Bytes that were left (-1 when unknown).</param>
    /// <param name="message">The description.</param>
    public KaitaiEndOfStreamException(long position, long requested, long available, string message)
        : base(message)
    {
        Position = position;
        Requested = requested;
        Available = available;
    }

    /// <summary>Position at which the failing read began.</summary>
    public long Position { get; }

    /// <summary>Bytes the read needed; -1 when reading up to a terminator.</summary>
    public long Requested { get; }

    /// <summary>Bytes that were left when the read began, or -1 when unknown.</summary>
    public long Available { get; }

    private static string Describe(long position, long requested, long available) => available < 0
        ? string.Create(CultureInfo.InvariantCulture, $"end of stream: {requested} bytes requested at {position}")
        : string.Create(CultureInfo.InvariantCulture, $"end of stream: {requested} bytes requested at {position}, {available} left");
}

/// <summary>An error with a location in the .ksy: <see cref="SrcPath"/> (e.g. <c>/types/record/seq/1</c>).</summary>
public class KaitaiStructError : Exception
{
    public KaitaiStructError(string msg, string srcPath)
        : base($"{srcPath}: {msg}")
    {
        SrcPath = srcPath;
    }

    /// <summary>Path in the .ksy of the attribute that failed.</summary>
    public string SrcPath { get; }
}

/// <summary>A <c>valid</c> key of the .ksy was not satisfied.</summary>
public class ValidationFailedError : KaitaiStructError
{
    public ValidationFailedError(string msg, KaitaiStream io, string srcPath)
        : base(string.Create(CultureInfo.InvariantCulture, $"at pos {Position(io)}: validation failed: {msg}"), srcPath)
    {
        Io = io;
        Pos = Position(io);
    }

    /// <summary>The stream the value was read from.</summary>
    public KaitaiStream? Io { get; }

    /// <summary>Stream position when the check failed (just after the value was read).</summary>
    public long Pos { get; }

    private static long Position(KaitaiStream? io) => io?.Pos ?? -1;

    /// <summary>Renders a value for a message: byte arrays in hex, others invariantly.</summary>
    protected static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "[" + Convert.ToHexString(bytes) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary><c>contents</c> or <c>valid: eq</c> failed.</summary>
public class ValidationNotEqualError : ValidationFailedError
{
    public ValidationNotEqualError(byte[] expected, byte[] actual, KaitaiStream io, string srcPath)
        : this((object)expected, actual, io, srcPath)
    {
    }

    public ValidationNotEqualError(object expected, object actual, KaitaiStream io, string srcPath)
        : base($"not equal, expected {Show(expected)}, but got {Show(actual)}", io, srcPath)
    {
        Expected = expected;
        Actual = actual;
    }

    public object Expected { get; }

    public object Actual { get; }
}

/// <summary><c>valid: min</c> failed.</summary>
public class ValidationLessThanError : ValidationFailedError
{
    public ValidationLessThanError(byte[] min, byte[] actual, KaitaiStream io, string srcPath)
        : this((object)min, actual, io, srcPath)
    {
    }

    public ValidationLessThanError(object min, object actual, KaitaiStream io, string srcPath)
        : base($"not in range, min {Show(min)}, but got {Show(actual)}", io, srcPath)
    {
        Min = min;
        Actual = actual;
    }

    public object Min { get; }

    public object Actual { get; }
}

/// <summary><c>valid: max</c> failed.</summary>
public class ValidationGreaterThanError : ValidationFailedError
{
    public ValidationGreaterThanError(byte[] max, byte[] actual, KaitaiStream io, string srcPath)
        : this((object)max, actual, io, srcPath)
    {
    }

    public ValidationGreaterThanError(object max, object actual, KaitaiStream io, string srcPath)
        : base($"not in range, max {Show(max)}, but got {Show(actual)}", io, srcPath)
    {
        Max = max;
        Actual = actual;
    }

    public object Max { get; }

    public object Actual { get; }
}

/// <summary><c>valid: any-of</c> failed.</summary>
public class ValidationNotAnyOfError : ValidationFailedError
{
    public ValidationNotAnyOfError(object actual, KaitaiStream io, string srcPath)
        : base($"not any of the list, got {Show(actual)}", io, srcPath)
    {
        Actual = actual;
    }

    public object Actual { get; }
}

/// <summary><c>valid: in-enum</c> failed.</summary>
public class ValidationNotInEnumError : ValidationFailedError
{
    public ValidationNotInEnumError(object actual, KaitaiStream io, string srcPath)
        : base($"not in the enum, got {Show(actual)}", io, srcPath)
    {
        Actual = actual;
    }

    public object Actual { get; }
}

/// <summary><c>valid: expr</c> evaluated to false.</summary>
public class ValidationExprError : ValidationFailedError
{
    public ValidationExprError(object actual, KaitaiStream io, string srcPath)
        : base($"not matching the expression, got {Show(actual)}", io, srcPath)
    {
        Actual = actual;
    }

    public object Actual { get; }
}
