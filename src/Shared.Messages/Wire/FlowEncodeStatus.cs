namespace Flowhive.Shared.Wire;

public enum FlowEncodeStatus : byte
{
    /// <summary>Records were written (or there were none to write).</summary>
    Ok = 0,

    /// <summary>
    /// The first record alone does not fit the size limit, so nothing was written. It can never be sent with
    /// this limit: the caller should drop (and count) it and carry on with the next one.
    /// </summary>
    RecordTooLarge,
}
