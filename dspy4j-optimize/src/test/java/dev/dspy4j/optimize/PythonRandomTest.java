package dev.dspy4j.optimize;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values printed by CPython 3.11's {@code random.Random} (python3 -c ...). */
class PythonRandomTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<Long> bits(PythonRandom r, int k, int count) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(r.getrandbits(k));
        }
        return out;
    }

    private static List<Long> mixedBits(PythonRandom r) {
        List<Long> out = new ArrayList<>();
        for (int k : new int[] {1, 3, 7, 16, 31}) {
            out.add(r.getrandbits(k));
        }
        return out;
    }

    private static List<String> wideBits(PythonRandom r) {
        List<String> out = new ArrayList<>();
        for (int k : new int[] {33, 64, 100}) {
            out.add(r.bigGetrandbits(k).toString());
        }
        return out;
    }

    private static List<Double> floats(PythonRandom r, int count) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(r.random());
        }
        return out;
    }

    private static List<Integer> ints(PythonRandom r) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(r.randint(1, 4));
        }
        for (int i = 0; i < 3; i++) {
            out.add(r.randint(-10, 1000));
        }
        out.add(r.randint(5, 5));
        for (int i = 0; i < 2; i++) {
            out.add(r.randint(0, Integer.MAX_VALUE - 1));
        }
        return out;
    }

    private static List<Integer> shuffled(long seed, int n) {
        List<Integer> list = new ArrayList<>(range(n));
        new PythonRandom(seed).shuffle(list);
        return list;
    }

    @Test
    void getrandbitsMatchesCPython() {
        assertThat(bits(new PythonRandom(0L), 32, 5)).containsExactly(3626764237L, 1654615998L, 3255389356L, 3823568514L, 1806341205L);
        assertThat(mixedBits(new PythonRandom(0L))).containsExactly(1L, 3L, 97L, 58343L, 903170602L);
        assertThat(wideBits(new PythonRandom(0L))).containsExactly("3626764237", "16422101724900707500", "1208935935994293442776782246997");
        assertThat(bits(new PythonRandom(1L), 32, 5)).containsExactly(577090037L, 2444712010L, 3639700191L, 3445702192L, 3280387012L);
        assertThat(mixedBits(new PythonRandom(1L))).containsExactly(0L, 4L, 108L, 52577L, 1640193506L);
        assertThat(wideBits(new PythonRandom(1L))).containsExactly("4872057333", "14799178230035213023", "99436813185968347955962756036");
        assertThat(bits(new PythonRandom(2L), 32, 5)).containsExactly(4106135923L, 3707026329L, 4070888059L, 3646664648L, 242886303L);
        assertThat(mixedBits(new PythonRandom(2L))).containsExactly(1L, 6L, 121L, 55643L, 121443151L);
        assertThat(wideBits(new PythonRandom(2L))).containsExactly("8401103219", "15662305406710239867", "402865065120196900326479636127");
        assertThat(bits(new PythonRandom(3L), 32, 5)).containsExactly(1022050301L, 2545373330L, 2337446730L, 560161641L, 1588945316L);
        assertThat(mixedBits(new PythonRandom(3L))).containsExactly(0L, 4L, 69L, 8547L, 794472658L);
        assertThat(wideBits(new PythonRandom(3L))).containsExactly("5317017597", "2405875930906139466", "602444612835390414130857206180");
        assertThat(bits(new PythonRandom(4L), 32, 5)).containsExactly(1013818839L, 1302657532L, 443094727L, 3097603021L, 1701057193L);
        assertThat(mixedBits(new PythonRandom(4L))).containsExactly(0L, 2L, 13L, 47265L, 850528596L);
        assertThat(wideBits(new PythonRandom(4L))).containsExactly("1013818839", "13304103671628895943", "91506331205865577578825519785");
        assertThat(bits(new PythonRandom(5L), 32, 5)).containsExactly(2675342405L, 1097127993L, 3185950873L, 1539898300L, 3415330359L);
        assertThat(mixedBits(new PythonRandom(5L))).containsExactly(1L, 2L, 94L, 23496L, 1707665179L);
        assertThat(wideBits(new PythonRandom(5L))).containsExactly("2675342405", "6613812840851947673", "1104634716630602621625635556919");
        assertThat(bits(new PythonRandom(6L), 32, 5)).containsExactly(3407369726L, 2464538600L, 3530265750L, 346043753L, 2083207870L);
        assertThat(mixedBits(new PythonRandom(6L))).containsExactly(1L, 4L, 105L, 5280L, 1041603935L);
        assertThat(wideBits(new PythonRandom(6L))).containsExactly("7702337022", "1486246605650367638", "20727789821454907397578111678");
        assertThat(bits(new PythonRandom(7L), 32, 5)).containsExactly(1390851128L, 4071050724L, 647892279L, 1695753998L, 2795742288L);
        assertThat(mixedBits(new PythonRandom(7L))).containsExactly(0L, 7L, 19L, 25875L, 1397871144L);
        assertThat(wideBits(new PythonRandom(7L))).containsExactly("5685818424", "7283207964119141687", "1035705106444046403401351930960");
        assertThat(bits(new PythonRandom(42L), 32, 5)).containsExactly(2746317213L, 478163327L, 107420369L, 3184935163L, 1181241943L);
        assertThat(mixedBits(new PythonRandom(42L))).containsExactly(1L, 0L, 3L, 48598L, 590620971L);
        assertThat(wideBits(new PythonRandom(42L))).containsExactly("2746317213", "13679192365072849617", "176140902141063639299770569303");
        assertThat(bits(new PythonRandom(1099511627776L), 32, 5)).containsExactly(445128065L, 1517081360L, 2880015531L, 282029048L, 1832466665L);
        assertThat(mixedBits(new PythonRandom(1099511627776L))).containsExactly(0L, 2L, 85L, 4303L, 916233332L);
        assertThat(wideBits(new PythonRandom(1099511627776L))).containsExactly("445128065", "1211305540562029739", "506088171621245925007388391657");
        assertThat(bits(new PythonRandom(-5L), 32, 5)).containsExactly(2675342405L, 1097127993L, 3185950873L, 1539898300L, 3415330359L);
        assertThat(mixedBits(new PythonRandom(-5L))).containsExactly(1L, 2L, 94L, 23496L, 1707665179L);
        assertThat(wideBits(new PythonRandom(-5L))).containsExactly("2675342405", "6613812840851947673", "1104634716630602621625635556919");
        assertThat(bits(new PythonRandom(BigInteger.ONE.shiftLeft(32).add(BigInteger.valueOf(3))), 32, 3)).containsExactly(4086009037L, 403464276L, 144063282L);
        assertThat(bits(new PythonRandom(BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(12345))), 32, 3)).containsExactly(4124372728L, 1880144277L, 4058479540L);
        assertThat(new PythonRandom(0L).getrandbits(0)).isZero();
    }

    @Test
    void randomMatchesCPython() {
        assertThat(floats(new PythonRandom(0L), 3)).containsExactly(0.8444218515250481, 0.7579544029403025, 0.420571580830845);
        assertThat(floats(new PythonRandom(1L), 3)).containsExactly(0.13436424411240122, 0.8474337369372327, 0.763774618976614);
        assertThat(floats(new PythonRandom(2L), 3)).containsExactly(0.9560342718892494, 0.9478274870593494, 0.05655136772680869);
        assertThat(floats(new PythonRandom(3L), 3)).containsExactly(0.23796462709189137, 0.5442292252959519, 0.36995516654807925);
        assertThat(floats(new PythonRandom(4L), 3)).containsExactly(0.23604808973743452, 0.1031660342307158, 0.396058242610681);
        assertThat(floats(new PythonRandom(5L), 3)).containsExactly(0.6229016948897019, 0.7417869892607294, 0.7951935655656966);
        assertThat(floats(new PythonRandom(6L), 3)).containsExactly(0.793340083761663, 0.8219540423197268, 0.4850346279309453);
        assertThat(floats(new PythonRandom(7L), 3)).containsExactly(0.32383276483316237, 0.15084917392450192, 0.6509344730398537);
        assertThat(floats(new PythonRandom(42L), 3)).containsExactly(0.6394267984578837, 0.025010755222666936, 0.27502931836911926);
        assertThat(floats(new PythonRandom(1099511627776L), 3)).containsExactly(0.1036394562812375, 0.6705558677439764, 0.4266543913526999);
        assertThat(floats(new PythonRandom(-5L), 3)).containsExactly(0.6229016948897019, 0.7417869892607294, 0.7951935655656966);
    }

    @Test
    void randintMatchesCPython() {
        assertThat(ints(new PythonRandom(0L))).containsExactly(4, 4, 1, 255, 978, 513, 5, 869589436, 1971893209);
        assertThat(ints(new PythonRandom(1L))).containsExactly(2, 1, 3, 110, 497, 769, 5, 1014138928, 1399285261);
        assertThat(ints(new PythonRandom(2L))).containsExactly(1, 1, 1, 359, 845, 163, 5, 540271020, 1301255191);
        assertThat(ints(new PythonRandom(3L))).containsExactly(2, 2, 3, 927, 608, 475, 5, 1300515102, 28278034);
        assertThat(ints(new PythonRandom(4L))).containsExactly(2, 3, 1, 728, 395, 480, 5, 193488809, 142840088);
        assertThat(ints(new PythonRandom(5L))).containsExactly(3, 3, 1, 850, 466, 784, 5, 1393662250, 111354012);
        assertThat(ints(new PythonRandom(6L))).containsExactly(1, 4, 3, 27, -10, 139, 5, 2073433619, 1631509110);
        assertThat(ints(new PythonRandom(7L))).containsExactly(3, 2, 4, 656, 39, 64, 5, 785310972, 1251527726);
        assertThat(ints(new PythonRandom(42L))).containsExactly(1, 1, 3, 240, 218, 132, 5, 1453201078, 1590571865);
        assertThat(ints(new PythonRandom(1099511627776L))).containsExactly(1, 3, 1, 426, 39, 387, 5, 1345368945, 1203550074);
        assertThat(ints(new PythonRandom(-5L))).containsExactly(3, 3, 1, 850, 466, 784, 5, 1393662250, 111354012);
        // DSPy's random search: random.Random(seed).randint(1, 4) for seeds 0..7
        assertThat(java.util.stream.IntStream.range(0, 8).map(s -> new PythonRandom(s).randint(1, 4)).boxed().toList())
                .containsExactly(4, 2, 1, 2, 2, 3, 1, 3);
    }

    @Test
    void shuffleMatchesCPython() {
        assertThat(shuffled(0, 10)).containsExactly(7, 8, 1, 5, 3, 4, 2, 0, 9, 6);
        assertThat(shuffled(0, 50)).containsExactly(43, 1, 28, 14, 36, 12, 0, 27, 47, 7, 33, 34, 20, 49, 5, 38, 11, 23, 40, 15, 10, 21, 46, 3, 9, 4, 41, 42, 39, 17, 29, 45, 6, 35, 18, 8, 44, 13, 37, 22, 30, 19, 25, 31, 32, 16, 2, 26, 48, 24);
        assertThat(shuffled(1, 10)).containsExactly(6, 8, 9, 7, 5, 3, 0, 4, 1, 2);
        assertThat(shuffled(1, 50)).containsExactly(2, 15, 47, 9, 21, 29, 48, 5, 46, 14, 11, 32, 34, 26, 49, 19, 39, 38, 12, 22, 37, 20, 42, 35, 33, 10, 3, 18, 45, 25, 23, 17, 43, 0, 27, 40, 1, 44, 6, 13, 24, 41, 30, 28, 31, 7, 16, 4, 36, 8);
        assertThat(shuffled(2, 10)).containsExactly(5, 9, 3, 4, 6, 7, 2, 8, 1, 0);
        assertThat(shuffled(2, 50)).containsExactly(24, 33, 49, 35, 6, 15, 4, 22, 9, 29, 34, 21, 18, 39, 26, 20, 7, 43, 17, 47, 30, 40, 12, 36, 14, 11, 0, 1, 31, 8, 44, 28, 46, 32, 25, 27, 45, 37, 2, 41, 13, 38, 16, 19, 42, 10, 23, 48, 5, 3);
        assertThat(shuffled(3, 10)).containsExactly(1, 5, 6, 0, 9, 4, 7, 2, 8, 3);
        assertThat(shuffled(3, 50)).containsExactly(25, 49, 11, 17, 3, 22, 19, 46, 10, 6, 45, 26, 24, 47, 13, 21, 9, 1, 18, 5, 2, 39, 31, 36, 28, 29, 7, 42, 27, 20, 33, 32, 41, 12, 14, 35, 16, 43, 0, 44, 4, 48, 40, 30, 38, 23, 8, 34, 37, 15);
    }

    @Test
    void sampleMatchesCPythonInBothBranches() {
        assertThat(new PythonRandom(0L).sample(range(100), 1)).containsExactly(49);
        assertThat(new PythonRandom(0L).sample(range(100), 4)).containsExactly(49, 97, 53, 5);
        assertThat(new PythonRandom(0L).sample(range(100), 16)).containsExactly(49, 97, 53, 5, 33, 65, 62, 51, 38, 61, 45, 74, 27, 64, 17, 36);
        assertThat(new PythonRandom(0L).sample(range(100), 30)).containsExactly(49, 97, 53, 5, 33, 65, 62, 51, 38, 61, 45, 74, 27, 64, 17, 36, 85, 12, 79, 32, 68, 77, 18, 39, 82, 9, 42, 60, 71, 75);
        assertThat(new PythonRandom(0L).sample(range(10), 4)).containsExactly(6, 9, 0, 2);
        assertThat(new PythonRandom(0L).sample(range(10), 10)).containsExactly(6, 9, 0, 2, 4, 3, 5, 1, 8, 7);
        assertThat(new PythonRandom(0L).sample(range(10), 0)).containsExactly();
        assertThat(new PythonRandom(0L).sample(range(30), 6)).containsExactly(27, 12, 24, 13, 1, 8);
        assertThat(new PythonRandom(0L).sample(range(22), 1)).containsExactly(12);
        assertThat(new PythonRandom(1L).sample(range(100), 1)).containsExactly(17);
        assertThat(new PythonRandom(1L).sample(range(100), 4)).containsExactly(17, 72, 97, 8);
        assertThat(new PythonRandom(1L).sample(range(100), 16)).containsExactly(17, 72, 97, 8, 32, 15, 63, 57, 60, 83, 48, 26, 12, 62, 3, 49);
        assertThat(new PythonRandom(1L).sample(range(100), 30)).containsExactly(17, 72, 97, 8, 32, 15, 63, 57, 60, 83, 48, 26, 12, 62, 3, 49, 55, 77, 0, 92, 34, 29, 75, 13, 40, 85, 2, 74, 69, 1);
        assertThat(new PythonRandom(1L).sample(range(10), 4)).containsExactly(2, 1, 4, 0);
        assertThat(new PythonRandom(1L).sample(range(10), 10)).containsExactly(2, 1, 4, 0, 3, 5, 7, 9, 8, 6);
        assertThat(new PythonRandom(1L).sample(range(10), 0)).containsExactly();
        assertThat(new PythonRandom(1L).sample(range(30), 6)).containsExactly(4, 18, 27, 25, 24, 2);
        assertThat(new PythonRandom(1L).sample(range(22), 1)).containsExactly(4);
        assertThat(new PythonRandom(42L).sample(range(100), 1)).containsExactly(81);
        assertThat(new PythonRandom(42L).sample(range(100), 4)).containsExactly(81, 14, 3, 94);
        assertThat(new PythonRandom(42L).sample(range(100), 16)).containsExactly(81, 14, 3, 94, 35, 31, 28, 17, 13, 86, 69, 11, 75, 54, 4, 27);
        assertThat(new PythonRandom(42L).sample(range(100), 30)).containsExactly(81, 14, 3, 94, 35, 31, 28, 17, 13, 86, 69, 11, 75, 54, 4, 97, 88, 27, 29, 64, 77, 84, 71, 25, 89, 53, 93, 57, 95, 0);
        assertThat(new PythonRandom(42L).sample(range(10), 4)).containsExactly(1, 0, 4, 9);
        assertThat(new PythonRandom(42L).sample(range(10), 10)).containsExactly(1, 0, 4, 9, 6, 5, 8, 2, 3, 7);
        assertThat(new PythonRandom(42L).sample(range(10), 0)).containsExactly();
        assertThat(new PythonRandom(42L).sample(range(30), 6)).containsExactly(20, 3, 0, 23, 8, 7);
        assertThat(new PythonRandom(42L).sample(range(22), 1)).containsExactly(20);
        PythonRandom shared = new PythonRandom(0L);
        assertThat(shared.sample(range(20), 5)).containsExactly(12, 13, 1, 8, 15);
        assertThat(shared.sample(range(200), 7)).containsExactly(103, 77, 122, 91, 149, 55, 129);
        assertThat(shared.random()).isEqualTo(0.13927370519815263);
    }
}
