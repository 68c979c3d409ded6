package layerlab.nn;

/**
 * Whose defaults a layer follows. The lecture's are the default; PyTorch's on request.
 *
 * <table>
 *   <caption>What changes</caption>
 *   <tr><th>what</th><th>LECTURE</th><th>PYTORCH</th></tr>
 *   <tr><td>BatchNorm running average</td><td>μ_avg ← α·μ_avg + (1−α)·μ_B, α = 0.9</td>
 *       <td>running ← (1−m)·running + m·batch, m = 0.1</td></tr>
 *   <tr><td>BatchNorm running variance</td><td>biased σ²_B (÷ HWT)</td><td>unbiased (÷ (HWT−1))</td></tr>
 *   <tr><td>LeakyReLU α</td><td>must be given</td><td>0.01</td></tr>
 *   <tr><td>Dropout p</td><td>keep probability</td><td>drop probability</td></tr>
 * </table>
 */
public enum Convention {
    LECTURE,
    PYTORCH
}
