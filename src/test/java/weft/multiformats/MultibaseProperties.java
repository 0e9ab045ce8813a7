package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class MultibaseProperties {
    @Property(tries = 300)
    void everyBaseRoundTrips(@ForAll Multibase base, @ForAll @Size(max = 80) byte[] data) {
        String text = base.encode(data);
        assertArrayEquals(data, Multibase.decode(text));
    }

    @Property(tries = 300)
    void base58RoundTripsAndKeepsLeadingZeros(@ForAll @Size(max = 80) byte[] data) {
        assertArrayEquals(data, Base58.decode(Base58.encode(data)));
    }

    @Property(tries = 500)
    void arbitraryTextDecodesOrThrowsTheTypedException(@ForAll("multibaseLike") String text) {
        try {
            Multibase.decode(text);
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
        try {
            Base58.decode(text);
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
    }

    /** A real prefix most of the time, then characters from every alphabet and a few that are in none. */
    @Provide
    Arbitrary<String> multibaseLike() {
        Arbitrary<String> prefix = Arbitraries.of("f", "F", "b", "B", "k", "K", "z", "m", "u", "x", "", "M");
        Arbitrary<String> body = Arbitraries.strings()
                .withCharRange('0', 'z')
                .withChars('+', '/', '=', '-', '_', ' ', 'é', '\u0000', '\uffff')
                .ofMaxLength(60);
        return Arbitraries.oneOf(prefix.flatMap(p -> body.map(b -> p + b)), Arbitraries.strings().ofMaxLength(20));
    }
}
