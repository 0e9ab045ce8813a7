package weft.multiformats;

/**
 * base58btc, the Bitcoin alphabet: what legacy peer IDs ({@code 12D3KooW...}, {@code Qm...}) are written in.
 * Leading zero bytes become leading {@code '1'} characters and back.
 */
public final class Base58 {
    private static final BaseX BASE58 =
            new BaseX("base58", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");

    private Base58() {}

    public static String encode(byte[] input) {
        return BASE58.encode(input);
    }

    /**
     * @throws MultiformatException for a character outside the alphabet ({@code 0}, {@code O}, {@code I}, {@code l}
     *     are not in it)
     */
    public static byte[] decode(String input) {
        return BASE58.decode(input);
    }
}
