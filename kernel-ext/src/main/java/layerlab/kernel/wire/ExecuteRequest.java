package layerlab.kernel.wire;

/**
 * One execute_request as the kernel sees it: the cell's code, its flags and its number.
 * {@code message} is the request itself: the parent of everything the cell publishes.
 */
public record ExecuteRequest(Wire.Message message, String code, boolean silent, boolean allowStdin,
                             int executionCount) {}
