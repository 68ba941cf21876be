package io.marketgate.marketsim.internal;

import java.util.List;
import java.util.SplittableRandom;

/** Masked names and addresses for rendered orders, as the markets mask them. */
final class SimulatedPeople {

    private static final List<String> FAMILY = List.of("김", "이", "박", "최", "정", "강", "조", "윤");
    private static final List<String> GIVEN = List.of("*희", "*수", "*민", "*진", "*영", "*호");
    private static final List<String> CITIES = List.of("서울특별시 강남구 테헤란로", "경기도 성남시 분당구 판교역로",
            "부산광역시 해운대구 센텀중앙로", "인천광역시 연수구 송도과학로", "대전광역시 유성구 대학로");

    private SimulatedPeople() {}

    static String name(SplittableRandom r) {
        return FAMILY.get(r.nextInt(FAMILY.size())) + GIVEN.get(r.nextInt(GIVEN.size()));
    }

    static String address(SplittableRandom r) {
        return CITIES.get(r.nextInt(CITIES.size())) + " " + (1 + r.nextInt(300)) + " **아파트";
    }
}
