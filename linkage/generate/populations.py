"""The populations the HMICFRS reports and NRM statistics describe: names as people write them in
their own language (diacritics kept), how each population orders names, how a nationality may be
written (country name, demonym, ISO alpha-2/3), nicknames, and identity document formats.

Family names given as "Kowalski|Kowalska" have a masculine and a feminine form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Population:
    key: str
    renderings: tuple[str, ...]      # ways a form may write the nationality
    family_first: bool               # family name written first in the native order
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]
    family: tuple[str, ...]          # weighted: a name may repeat to make it more common
    middle_male: tuple[str, ...] = ()
    middle_female: tuple[str, ...] = ()
    nicknames: tuple[str, ...] = ()
    phone_country: str = "44"        # country code used for a foreign phone, "44" = none
    id_card: bool = False            # issues national identity cards
    passport_prefix: str = ""


def _w(*pairs: tuple[str, int]) -> tuple[str, ...]:
    out: list[str] = []
    for name, weight in pairs:
        out.extend([name] * weight)
    return tuple(out)


def _t(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


POPULATIONS: dict[str, Population] = {p.key: p for p in (
    Population(
        "VN", ("Vietnamese", "Vietnam", "Viet Nam", "VN", "VNM"), True,
        _t("An, Anh, Bảo, Bình, Cường, Dũng, Duy, Hải, Hiếu, Hòa, Hùng, Huy, Khánh, Long, Lâm, "
           "Mạnh, Nam, Phong, Phúc, Quân, Sơn, Tài, Thắng, Thành, Tiến, Toàn, Trung, Tuấn, Tùng, "
           "Việt, Vinh, Đạt, Đông, Hiệp, Kiên, Lộc, Nghĩa, Quý, Thịnh, Tú"),
        _t("Hương, Lan, Linh, Mai, Ngọc, Nhung, Phương, Thảo, Trang, Vân, Yến, Hà, Hằng, Hạnh, "
           "Hoa, Huyền, Loan, My, Nga, Oanh, Quỳnh, Thu, Thủy, Trinh, Tuyết, Uyên, Xuân, Diệp, "
           "Hiền, Liên"),
        _w(("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
           ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
           ("Ngô", 1), ("Dương", 1), ("Lý", 1)),
        _w(("Văn", 8), ("Đức", 2), ("Minh", 2), ("Quang", 1), ("Hữu", 1), ("Công", 1), ("Thanh", 1)),
        _w(("Thị", 8), ("Ngọc", 2), ("Thu", 1), ("Thanh", 1), ("Kim", 1), ("Mai", 1)),
        _t("Tony, Ly, Anh Ba, Chú Hai, Bố Già, Kevin, Jimmy, Bin, Tom, Long Béo"),
        "84", False, "C"),
    Population(
        "AL", ("Albanian", "Albania", "AL", "ALB"), False,
        _t("Gëzim, Ërmal, Ermal, Arben, Besnik, Bledar, Dritan, Erion, Fatmir, Genti, Ilir, "
           "Klodian, Kujtim, Luan, Mirel, Ndriçim, Petrit, Redon, Sokol, Valon, Xhevdet, Agron, "
           "Artan, Endrit, Florian, Gentian, Olsi, Altin"),
        _t("Anila, Blerina, Dorina, Elira, Entela, Fatjona, Jonida, Klea, Lindita, Mirela, "
           "Rezarta, Valbona, Xhesika, Ejona, Ardita, Brunilda, Dhurata, Shpresa"),
        _t("Hoxha, Kola, Çela, Shehu, Leka, Gjoka, Marku, Dervishi, Prifti, Brahimi, Krasniqi, "
           "Berisha, Gashi, Duka, Hysa, Kraja, Lleshi, Mema, Rama, Xhaferi, Zeneli, Bajrami, "
           "Daci, Hasani, Muça, Gjergji, Çuni, Dushku"),
        nicknames=_t("Gimi, Beni, Toni, Landi, Kuli, Tani, Zef, Lulzim, Cimi, Xhoni"),
        phone_country="355", id_card=True, passport_prefix="BA"),
    Population(
        "RO", ("Romanian", "Romania", "RO", "ROU"), False,
        _t("Ștefan, Ion, Andrei, Alexandru, Mihai, Constantin, Gheorghe, Florin, Marian, Cătălin, "
           "Bogdan, Adrian, Ionuț, Răzvan, Cristian, Dumitru, Vasile, Nicolae, Sorin, Iulian, "
           "Costel, Daniel, Gabriel, Valentin"),
        _t("Maria, Elena, Ioana, Andreea, Alexandra, Mihaela, Cristina, Florentina, Georgiana, "
           "Alina, Daniela, Roxana, Ramona, Denisa, Larisa, Bianca, Nicoleta, Ștefania"),
        _t("Popescu, Țurcanu, Ionescu, Popa, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, Matei, "
           "Ciobanu, Rusu, Munteanu, Constantin, Lungu, Moldovan, Cojocaru, Ștefănescu, Florea, "
           "Dinu, Sârbu, Țăranu, Mureșan, Vasile, Niculescu, Bălan, Căpraru, Oprea"),
        nicknames=_t("Fane, Nelu, Costi, Gigi, Bebe, Sandu, Mitică, Cristi, Tavi"),
        phone_country="40", id_card=True, passport_prefix="05"),
    Population(
        "PL", ("Polish", "Poland", "PL", "POL"), False,
        _t("Łukasz, Piotr, Krzysztof, Tomasz, Paweł, Michał, Marcin, Kamil, Jakub, Mateusz, Adam, "
           "Marek, Grzegorz, Dariusz, Wojciech, Sławomir, Zbigniew, Jarosław, Przemysław, Rafał"),
        _t("Anna, Katarzyna, Małgorzata, Agnieszka, Joanna, Magdalena, Ewa, Monika, Dorota, "
           "Żaneta, Beata, Aleksandra"),
        _t("Wójcik, Kowalski|Kowalska, Nowak, Zieliński|Zielińska, Wiśniewski|Wiśniewska, "
           "Lewandowski|Lewandowska, Kamiński|Kamińska, Szymański|Szymańska, Woźniak, "
           "Dąbrowski|Dąbrowska, Kozłowski|Kozłowska, Mazur, Krawczyk, Grabowski|Grabowska, "
           "Pawłowski|Pawłowska, Michalski|Michalska, Jankowski|Jankowska, Wróbel, Kaczmarek, "
           "Piotrowski|Piotrowska"),
        nicknames=_t("Łuki, Kuba, Bartek, Grzesiek, Mariusz, Szef"),
        id_card=True, passport_prefix="E"),
    Population(
        "GB", ("British", "United Kingdom", "UK", "GB", "GBR"), False,
        _t("James, John, David, Michael, Paul, Mark, Daniel, Thomas, Christopher, Lee, Wayne, "
           "Jamie, Ryan, Connor, Liam, Darren, Craig, Stephen, Gary, Kyle, Tyler, Jordan"),
        _t("Sarah, Emma, Laura, Rebecca, Jessica, Chloe, Amy, Lauren, Charlotte, Hannah, Kelly, "
           "Stacey, Leanne, Jade, Gemma, Shannon, Demi"),
        _t("Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, "
           "Roberts, Walker, Wright, Robinson, Thompson, White, Hughes, Edwards, Green, Hall, "
           "Wood, Harris, Clarke, Jackson, Turner, Hill, Moore, Cooper, Ward, Morris, King, "
           "Baker, Patel, Khan, Hussain, Campbell, Murphy"),
        nicknames=_t("Big J, Smithy, Deano, Moony, Ace, Tiny, Kane, Scrappy, Junior, Gucci, Splash"),
        passport_prefix=""),
    Population(
        "NG", ("Nigerian", "Nigeria", "NG", "NGA"), False,
        _t("Chukwuemeka, Oluwaseun, Adebayo, Emeka, Chinedu, Obinna, Babatunde, Ifeanyi, "
           "Olumide, Tunde, Uche, Segun, Kelechi, Nnamdi, Osagie, Efosa"),
        _t("Blessing, Chiamaka, Ngozi, Funmilayo, Adaeze, Oluwakemi, Precious, Joy, Favour, "
           "Esther, Osas, Ifeoma, Omolara, Yetunde"),
        _t("Okafor, Adeyemi, Okonkwo, Eze, Obi, Ogunleye, Adebayo, Oyelaran, Nwosu, Igwe, Osagie, "
           "Omoregie, Edosomwan, Ibrahim, Bello, Akinola, Olatunji, Uzoma"),
        nicknames=_t("Madam, Mama Blessing, Chief, Big Man, Oga, Sister Joy"),
        passport_prefix="A"),
    Population(
        "ER", ("Eritrean", "Eritrea", "ER", "ERI"), False,
        _t("Tesfaye, Yonas, Dawit, Samuel, Filmon, Merhawi, Habtom, Tesfalem, Yohannes, Mussie, "
           "Biniam, Kidane, Amanuel, Robel, Efrem"),
        _t("Selam, Helen, Senait, Luwam, Ruta, Yordanos, Saba, Feven, Hiwet, Mebrat, Rahel, Winta"),
        _t("Tesfay, Gebremedhin, Haile, Tekle, Berhane, Ghebreyesus, Kidane, Woldemichael, "
           "Asmerom, Habte, Mehari, Tewelde, Andemariam, Gebrehiwet, Yemane, Abraha"),
        passport_prefix="P"),
    Population(
        "SD", ("Sudanese", "Sudan", "SD", "SDN"), False,
        _t("Mohammed, Ahmed, Osman, Abdalla, Ibrahim, Omer, Hassan, Yousif, Mustafa, Adam, Ali, "
           "Hamid, Khalid, Elsadig, Abdelrahman, Ismail"),
        _t("Fatima, Amna, Khadija, Mariam, Huda, Samia, Nafisa, Aisha, Rehab, Suad"),
        _w(("Mohammed", 14), ("Ahmed", 5), ("Osman", 3), ("Abdalla", 3), ("Ibrahim", 3),
           ("Hassan", 3), ("Elhassan", 2), ("Yousif", 2), ("Adam", 3), ("Ali", 2), ("Omer", 2),
           ("Eltayeb", 1), ("Abdelrahman", 1), ("Musa", 2), ("Ishag", 1), ("Babiker", 1),
           ("Elnour", 1)),
        passport_prefix="P0"),
    Population(
        "CN", ("Chinese", "China", "CN", "CHN"), True,
        _t("Wei, Jun, Hao, Lei, Qiang, Ming, Jie, Tao, Bo, Yong, Jianguo, Zhiwei, Xiaolong, "
           "Haoran, Yifan"),
        _t("Fang, Li, Na, Mei, Ying, Jing, Xiu, Lan, Xiaoli, Yan, Hui, Lili, Xue"),
        _w(("Wang", 5), ("Li", 5), ("Zhang", 4), ("Liu", 3), ("Chen", 3), ("Yang", 2),
           ("Huang", 2), ("Zhao", 2), ("Wu", 2), ("Zhou", 2), ("Lin", 2), ("Xu", 1), ("Sun", 1),
           ("Ma", 1), ("Zheng", 1)),
        nicknames=_t("Ah Keung, Big Brother, Uncle Wong, Auntie May, Ah Fai"),
        passport_prefix="E"),
    Population(
        "SK", ("Slovak", "Slovakia", "SK", "SVK"), False,
        _t("Ján, Peter, Martin, Tomáš, Marek, Jozef, Miroslav, Roman, Dušan, Ľubomír, Štefan, "
           "Róbert, Milan"),
        _t("Mária, Jana, Zuzana, Katarína, Lucia, Veronika, Monika, Ľudmila"),
        _t("Horváth|Horváthová, Kováč|Kováčová, Varga|Vargová, Tóth|Tóthová, Baláž|Balážová, "
           "Nagy|Nagyová, Lakatoš|Lakatošová, Oláh|Oláhová, Szabó|Szabóová, Molnár|Molnárová, "
           "Gažo|Gažová, Kollár|Kollárová"),
        nicknames=_t("Fero, Duško, Miro, Palo"),
        id_card=True, passport_prefix="P"),
    Population(
        "LT", ("Lithuanian", "Lithuania", "LT", "LTU"), False,
        _t("Tomas, Mantas, Darius, Andrius, Paulius, Vytautas, Rokas, Mindaugas, Žygimantas, "
           "Aurimas, Gediminas, Saulius"),
        _t("Agnė, Rūta, Eglė, Jurgita, Laura, Gintarė, Aistė, Inga, Simona"),
        _t("Kazlauskas|Kazlauskienė, Jankauskas|Jankauskienė, Petrauskas|Petrauskienė, "
           "Stankevičius|Stankevičienė, Vasiliauskas|Vasiliauskienė, Žukauskas|Žukauskienė, "
           "Butkus|Butkienė, Paulauskas|Paulauskienė, Urbonas|Urbonienė, "
           "Kavaliauskas|Kavaliauskienė"),
        nicknames=_t("Vytas, Dariukas, Tomukas, Bosas"),
        id_card=True, passport_prefix="2"),
)}

GENERIC_NICKNAMES = ("Boss", "Uncle", "Chef", "The Driver", "Mama", "Big Man", "Manager")


@dataclass(frozen=True, slots=True)
class Profile:
    """What kind of organised crime group: who runs it, who it exploits, where and how."""

    key: str
    exploiters: tuple[str, ...]               # population keys, first is most common
    victims: tuple[str, ...]                  # weighted population keys
    venue_types: tuple[str, ...]              # weighted venue types
    exploitation: tuple[str, ...]             # exploitation types the group is known for
    child_rate: float                         # share of its victims who are children
    female_rate: float                        # share of its victims who are women or girls


PROFILES: tuple[Profile, ...] = (
    Profile("vietnamese-nails-cannabis", ("VN",), _w(("VN", 9), ("CN", 1)),
            _w(("nail_bar", 4), ("cannabis_farm", 3), ("private_house", 1), ("massage_parlour", 1)),
            ("labour", "criminal", "sexual"), 0.22, 0.45),
    Profile("albanian-cannabis-sexual", ("AL",), _w(("AL", 6), ("RO", 2), ("GB", 1)),
            _w(("cannabis_farm", 3), ("car_wash", 3), ("brothel", 2), ("private_house", 1)),
            ("criminal", "labour", "sexual"), 0.12, 0.35),
    Profile("romanian-sexual", ("RO",), _w(("RO", 7), ("GB", 1), ("SK", 1)),
            _w(("brothel", 3), ("massage_parlour", 2), ("private_house", 2), ("hotel", 1)),
            ("sexual", "criminal"), 0.08, 0.9),
    Profile("polish-labour", ("PL", "LT"), _w(("PL", 5), ("SK", 2), ("LT", 2), ("RO", 2)),
            _w(("factory", 3), ("warehouse", 3), ("farm", 2), ("construction_site", 2),
               ("private_house", 1)), ("labour",), 0.02, 0.3),
    Profile("county-lines", ("GB",), _w(("GB", 9), ("VN", 1)),
            _w(("private_house", 4), ("hotel", 1), ("takeaway", 1)),
            ("criminal", "sexual"), 0.55, 0.3),
    Profile("chinese-catering", ("CN",), _w(("CN", 6), ("VN", 2)),
            _w(("takeaway", 4), ("restaurant", 2), ("massage_parlour", 2)),
            ("labour", "sexual"), 0.05, 0.4),
    Profile("nigerian-sexual", ("NG",), _w(("NG", 9), ("GB", 1)),
            _w(("brothel", 3), ("private_house", 3), ("hotel", 1)),
            ("sexual", "domestic_servitude"), 0.15, 0.9),
    Profile("car-wash-labour", ("AL", "GB"), _w(("ER", 3), ("SD", 3), ("AL", 2), ("RO", 1)),
            _w(("car_wash", 5), ("takeaway", 1), ("construction_site", 2)),
            ("labour",), 0.1, 0.05),
    Profile("roma-labour", ("SK", "RO"), _w(("SK", 5), ("RO", 3)),
            _w(("factory", 2), ("private_house", 2), ("car_wash", 1), ("warehouse", 1)),
            ("labour", "domestic_servitude", "criminal"), 0.1, 0.4),
)

# Lone cases (one exploiter, one victim, one private place): domestic servitude mostly.
LONE_VICTIMS = _w(("NG", 3), ("ER", 2), ("SD", 2), ("GB", 2), ("VN", 1), ("CN", 1), ("RO", 1))

# Who shows up as victims when a county-lines group recruits locally, etc. is in PROFILES; the
# overall mix of populations for people with no group (associates, lone exploiters):
GENERAL = _w(("GB", 5), ("AL", 2), ("VN", 2), ("RO", 2), ("PL", 1), ("CN", 1), ("NG", 1),
             ("LT", 1), ("SK", 1))
