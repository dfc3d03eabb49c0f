namespace Flowhive.EndToEnd.Support;

/// <summary>Polling with a deadline, for conditions read over the API (never a bare sleep).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 250 ms until it holds; fails with <paramref name="what"/> and the context otherwise.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The node is still starting or restarting.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"not within {timeout.TotalSeconds} s: {what}\n{context()}");
    }
}
