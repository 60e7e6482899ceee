"""The invented newsroom that `manage.py seed_demo` puts on the site.

Everything here is fiction written for the demo. The people quoted are made
up or unnamed, the companies and studies are invented, and no real person is
quoted, so the demo can be shown anywhere without putting words in anyone's
mouth. Place names and institutions are real only as scenery.

Keys the command relies on:

* sections and authors are found again by `slug`, articles by `headline`:
  edit a headline here and the next run creates a new article;
* `hours_ago` places an article in time relative to its first creation
  (negative: scheduled); `draft: True` leaves it unpublished, `review: True`
  leaves it waiting for an editor (written by the demo reporter);
* `pin` puts an article at that position at the top of the home page (1 is
  the lead story); `correction` adds a dated correction note;
* optional `language` ("en"), `access` ("free"), `authors`, `also_in`,
  `image` (`label` drawn on the illustration in ASCII, `caption`, and an
  `alt` for articles not in English).
"""

SECTIONS = [
    {
        "slug": "politics",
        "name_be": "Палітыка",
        "name_ru": "Политика",
        "name": "Politics",
        "position": 1,
        "description": "Power in Minsk, the democratic movement abroad, and the diplomacy between.",
        "colours": ("#4a0d0d", "#c0392b"),
        "colour_name": "red",
    },
    {
        "slug": "economy",
        "name_be": "Эканоміка",
        "name_ru": "Экономика",
        "name": "Economy",
        "position": 2,
        "description": "State enterprises, prices, wages, sanctions and the money that leaves.",
        "colours": ("#07332a", "#1f8f63"),
        "colour_name": "green",
    },
    {
        "slug": "security",
        "name_be": "Бяспека",
        "name_ru": "Безопасность",
        "name": "Security",
        "position": 3,
        "description": "The border, the army, the courts and the people the state prosecutes.",
        "colours": ("#0f1d33", "#3d6fa8"),
        "colour_name": "blue",
    },
    {
        "slug": "society",
        "name_be": "Грамадства",
        "name_ru": "Общество",
        "name": "Society",
        "position": 4,
        "description": "Schools, hospitals, towns and villages, and Belarusians abroad.",
        "colours": ("#4d2f05", "#d98c1f"),
        "colour_name": "amber",
    },
    {
        "slug": "culture",
        "name_be": "Культура",
        "name_ru": "Культура",
        "name": "Culture",
        "position": 5,
        "description": "Books, stages, screens and the Belarusian language, at home and in exile.",
        "colours": ("#27123d", "#8e5bbf"),
        "colour_name": "violet",
    },
]

AUTHORS = [
    {
        "slug": "alena-karpovich",
        "name": "Alena Karpovich",
        "bio": "Political correspondent. Covers the government in Minsk and the democratic "
        "movement abroad from Vilnius.",
    },
    {
        "slug": "dzmitry-saroka",
        "name": "Dzmitry Saroka",
        "bio": "Economy editor. Before joining BPN he spent eight years reading the balance "
        "sheets of state enterprises for a business weekly.",
    },
    {
        "slug": "maryia-hlebovich",
        "name": "Maryia Hlebovich",
        "bio": "Writes about courts, the border and human rights. Trained as a lawyer.",
    },
    {
        "slug": "pavel-zhuk",
        "name": "Pavel Zhuk",
        "bio": "Society reporter: schools, hospitals and small towns, and the people who "
        "have left them.",
    },
    {
        "slug": "katsiaryna-liavonava",
        "name": "Katsiaryna Liavonava",
        "bio": "Culture editor. Follows Belarusian theatre, publishing and music wherever "
        "they now happen.",
    },
    {
        "slug": "ihar-maroz",
        "name": "Ihar Maroz",
        "bio": "Data journalist. Turns statistics, registers and ship-tracking feeds into stories.",
    },
]

ARTICLES = [
    # The newest published article has an image: the home page leads with it.
    {
        "headline": "Freight queue at the Lithuanian border passes 1,200 lorries as new "
        "inspections begin",
        "dek": "Drivers describe waits of three to four days after customs officers began "
        "checking cargo “until further notice”.",
        "body": (
            "<p>The queue of lorries waiting to leave Belarus for Lithuania grew past 1,200 "
            "vehicles overnight, according to a count published by a hauliers’ association, "
            "after customs officers on the Belarusian side began a new round of cargo "
            "inspections.</p>"
            "<p>Drivers reached by BPN described waits of three to four days at the main "
            "crossing, with little access to water or toilets. Several said they had been told "
            "the checks would last “until further notice”.</p>"
            "<h2>Who is waiting</h2>"
            "<p>Most of the lorries carry timber, fertiliser components and consumer goods bound "
            "for Baltic ports. Small firms, which cannot afford to keep drivers idle, are hit "
            "hardest.</p>"
            "<blockquote><p>Every day in the queue costs me more than the whole trip earns. I have "
            "two trucks; one of them is in this line.</p></blockquote>"
            "<p>That was Tamara Levanovich, who runs a haulage firm of four people in Lida. She "
            "said she was considering routing future loads through Poland, despite the longer "
            "distance.</p>"
            "<p>An economist at a Vilnius think-tank said the inspections fit a pattern: "
            '<a href="https://example.org/border-queues-explained">queues of this size</a> tend '
            "to appear within days of a diplomatic dispute, and to ease just as suddenly.</p>"
        ),
        "section": "economy",
        "also_in": ["security"],
        "tags": ["Border", "Transport", "Lithuania"],
        "authors": ["dzmitry-saroka", "maryia-hlebovich"],
        "hours_ago": 2,
        "pin": 1,
        "correction": (
            "An earlier version of this article gave the length of the queue in kilometres "
            "rather than in lorries."
        ),
        "image": {
            "label": "Border freight",
            "caption": "The queue has grown every night since the inspections began.",
        },
        # The body's own blocks: a library picture, a pull quote, an embed.
        "blocks": {
            "picture": {
                "label": "At the crossing",
                "alt": "An abstract illustration with the words “At the crossing”.",
                "caption": "Drivers wait with their engines off to save fuel.",
            },
            "pull_quote": "Every day in the queue costs me more than the whole trip earns.",
            "embed": "https://t.me/bpn_demo/1201",
        },
    },
    {
        "headline": "Regional officials told to report school staff’s “foreign contacts” by "
        "the end of the month",
        "dek": "A circular seen by BPN asks head teachers to list colleagues with relatives "
        "abroad or recent trips to the EU.",
        "body": (
            "<p>Education departments in at least two regions have asked head teachers to "
            "compile lists of staff who have relatives living abroad, have travelled to European "
            "Union countries in the past three years, or “maintain contact with foreign "
            "organisations”, according to a circular seen by BPN.</p>"
            "<p>The document, signed by a deputy head of a regional education department, gives "
            "schools until the end of the month to submit the lists. It does not say what the "
            "information will be used for.</p>"
            "<h2>“Nobody asked why”</h2>"
            "<p>A teacher in a district town, who asked not to be named for her safety, said the "
            "form was handed out at a staff meeting and collected the same afternoon.</p>"
            "<blockquote><p>Half of us have a brother or a daughter in Poland. We filled it in. "
            "Nobody asked why — everyone understood that asking is also an answer.</p>"
            "</blockquote>"
            "<p>A human-rights group that tracks pressure on teachers said similar lists had "
            "been collected before contract renewals in previous years, and that staff who "
            "appeared on them were more likely to have their contracts shortened. The group has "
            'published <a href="https://example.org/teachers-guide">a guide</a> to what '
            "employees are, and are not, obliged to disclose.</p>"
        ),
        "section": "politics",
        "also_in": ["society"],
        "tags": ["Education", "Repression"],
        "access": "plus",
        "authors": ["alena-karpovich"],
        "hours_ago": 5,
    },
    {
        "headline": "У Магілёве зачынілася апошняя незалежная кнігарня",
        "dek": "Уладальнікі кажуць, што пасля трох праверак за паўгода ім не засталося "
        "іншага выйсця.",
        "body": (
            "<p>Апошняя незалежная кнігарня ў Магілёве, якая дзесяць гадоў працавала ў старым "
            "доме непадалёк ад ратушы, зачынілася ў суботу. Пра гэта паведамілі яе ўладальнікі "
            "ў сацыяльных сетках.</p>"
            "<p>Паводле іх слоў, за апошнія паўгода крама прайшла тры праверкі: пажарную, "
            "падатковую і «праверку асартыменту». Пасля апошняй з паліц знялі каля сотні кніг, "
            "сярод іх — зборнікі сучаснай беларускай паэзіі.</p>"
            "<blockquote><p>Мы не хацелі стаць музеем забароненых кніг. Мы хацелі, каб людзі "
            "проста прыходзілі і чыталі.</p></blockquote>"
            "<p>Так сказала адна з заснавальніц кнігарні, якая папрасіла не называць яе "
            "прозвішча.</p>"
            "<p>Пакупнікі за два дні разабралі амаль увесь астатні асартымент. Частку кніг "
            "уладальнікі перадалі ў школьныя бібліятэкі раёна, астатняе — знаёмым, якія "
            'збіраюць <a href="https://example.org/knihi">хатнія кнігазборы</a>.</p>'
        ),
        "section": "culture",
        "also_in": ["society"],
        "tags": ["кнігі", "цэнзура"],
        "language": "be",
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 9,
        "image": {
            "label": "Mahiliou bookshop",
            "caption": "Кнігарня працавала дзесяць гадоў.",
            "alt": "Абстрактная фіялетавая ілюстрацыя з надпісам «Mahiliou bookshop».",
        },
    },
    {
        "headline": "In Śvietłahorsk, a pulp mill’s night shift goes quiet",
        "dek": "Falling orders from abroad have left a flagship plant idle eight hours a day, "
        "workers say.",
        "body": (
            "<p>For the first time since it opened, the pulp and paper mill on the edge of "
            "Śvietłahorsk has stopped running a night shift, three workers told BPN. Machines "
            "that were meant to run around the clock now stand idle from ten in the evening "
            "until six.</p>"
            "<p>The plant was built with a large state-backed loan and was meant to export most "
            "of its output. With European buyers gone, it now sells mainly to customers in "
            "Russia and Central Asia, at prices that workers say barely cover the cost of the "
            "wood.</p>"
            "<h2>Shorter weeks, same loans</h2>"
            "<p>Staff have been offered a four-day week “by agreement”, which in practice means "
            "a pay cut of about a fifth. Several said they had been told that refusing would "
            "count against them when their contracts come up for renewal.</p>"
            "<ul>"
            "<li>Output fell by roughly a third over the year, according to the regional "
            "statistics office.</li>"
            "<li>The plant still owes the bulk of its construction loan.</li>"
            "<li>About 1,500 people work there, in a town of fewer than 70,000.</li>"
            "</ul>"
            "<p>An economist who studies state enterprises called the mill a textbook case of a "
            "project justified by export plans that no longer exist: “The loan was signed in a "
            "world that has gone.”</p>"
        ),
        "section": "economy",
        "tags": ["Industry", "Exports", "Sanctions"],
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 14,
        "image": {
            "label": "Pulp mill",
            "caption": "The mill now stands idle from ten in the evening until six.",
        },
    },
    {
        "headline": "В Минске утвердили новый порядок перерегистрации общественных объединений",
        "dek": "Организациям дали три месяца, чтобы заново подать документы; юристы ожидают "
        "новых отказов.",
        "body": (
            "<p>Министерство юстиции утвердило новый порядок перерегистрации общественных "
            "объединений. Документ опубликован на правовом портале и вступает в силу через "
            "десять дней.</p>"
            "<p>Организации, зарегистрированные до прошлого года, должны в течение трёх месяцев "
            "заново подать устав, список учредителей и сведения об источниках финансирования. "
            "Тех, кто не успеет, ликвидируют в судебном порядке.</p>"
            "<p>Юрист, консультирующий некоммерческие организации, сказал BPN, что новые "
            "требования к отчётности «практически невыполнимы» для небольших клубов по "
            "интересам и спортивных секций.</p>"
            "<p>По данным правозащитников, за последние годы в стране ликвидированы более "
            "тысячи общественных объединений. Полный список ведётся на сайте "
            '<a href="https://example.org/ngo-list">мониторинговой группы</a>.</p>'
        ),
        "section": "politics",
        "also_in": ["society"],
        "tags": ["законодательство", "Civil society"],
        "language": "ru",
        "hours_ago": 20,
    },
    {
        "headline": "Military exercise near Baranavičy extends into a third week",
        "dek": "Residents report convoys on rural roads at night; the defence ministry calls "
        "the drills routine.",
        "body": (
            "<p>A military exercise that was announced for ten days near Baranavičy has entered "
            "its third week, and residents of nearby villages say convoys of trucks and armoured "
            "vehicles are still moving along rural roads at night.</p>"
            "<p>The defence ministry has described the drills as a routine readiness check "
            "involving reservists called up from across the Brest region. It has not said when "
            "they will end.</p>"
            "<h2>What residents see</h2>"
            "<ul>"
            "<li>Road closures announced by text message, often less than an hour ahead.</li>"
            "<li>Reservists’ employers told to keep their jobs open “for the duration”.</li>"
            "<li>Low-flying helicopters over the forest south of the town.</li>"
            "</ul>"
            "<p>A military analyst who follows the region said the extension more likely "
            "reflected problems with call-ups than a change of plan: “When a reserve exercise "
            "runs over, it usually means the numbers were not there on day one.”</p>"
            "<p>BPN has mapped the road closures reported by readers; the "
            '<a href="https://example.org/baranavicy-map">map</a> is updated daily.</p>'
        ),
        "section": "security",
        "tags": ["Military", "Brest region"],
        "authors": ["maryia-hlebovich"],
        "hours_ago": 26,
        "image": {
            "label": "Exercise, week three",
            "caption": "Road closures are announced by text message, often at an hour’s notice.",
        },
    },
    {
        "headline": "Pensioners in small towns face longer journeys as rural clinics merge",
        "dek": "Three district hospitals will share one set of specialists from next month, "
        "and some patients will travel 60 kilometres.",
        "body": (
            "<p>Patients in three neighbouring districts will have to travel to a single "
            "“inter-district centre” for most specialist appointments from next month, under a "
            "reorganisation announced by the regional health department.</p>"
            "<p>A cardiologist or an eye doctor, until now available once a week in each "
            "district hospital, will see patients in only one of them. For some villages the "
            "nearest appointment will be 60 kilometres away, with two buses a day.</p>"
            "<blockquote><p>My husband needs his heart checked every month. We don’t have a car. "
            "I don’t know who will take us.</p></blockquote>"
            "<p>That was a 74-year-old woman from a village in the area, who asked that her name "
            "not be used. Officials say the reform will shorten waiting lists by putting scarce "
            "doctors in one place. Medical staff who spoke to BPN say the reason is simpler: "
            "there are no longer enough specialists to staff three hospitals.</p>"
            "<p>A doctors’ association in exile estimates that several thousand medical workers "
            'have left the country in recent years. <a href="https://example.org/clinics">Our '
            "earlier reporting</a> found similar mergers in two other regions.</p>"
        ),
        "section": "society",
        "tags": ["Health care", "Pensions"],
        "access": "plus",
        "authors": ["pavel-zhuk"],
        "hours_ago": 31,
    },
    {
        "headline": "An exiled theatre company stages a Kupala-night play in Vilnius",
        "dek": "Actors who left Minsk three years ago built the set from donated timber and a "
        "borrowed lighting rig.",
        "body": (
            "<p>On a courtyard stage in Vilnius’s old town, a company of Belarusian actors who "
            "left Minsk three years ago has staged a new play set on Kupala night, the midsummer "
            "festival of bonfires, wreaths and the mythical fern flower.</p>"
            "<p>The play follows a family gathering at a village house for the holiday, with "
            "half of its members joining by video call from abroad. The laptop on the table "
            "becomes a character of its own, freezing at the worst possible moments.</p>"
            "<blockquote><p>We wanted a comedy. Then we realised every joke in it was about "
            "someone who is not in the room.</p></blockquote>"
            "<p>So said the company’s director, who founded it after the state theatre where he "
            "worked dismissed a third of its troupe. The set was built from timber donated by a "
            "Lithuanian builders’ merchant; the lights are borrowed from a student theatre.</p>"
            "<p>All four performances sold out within a day. The company plans to take the "
            "production to Warsaw and Białystok; dates will be announced on its "
            '<a href="https://example.org/theatre">website</a>.</p>'
        ),
        "section": "culture",
        "also_in": ["society"],
        "tags": ["Theatre", "Diaspora", "Vilnius"],
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 38,
        "image": {
            "label": "Kupala night",
            "caption": "The set was built from donated timber.",
        },
    },
    {
        "headline": "Малако і сыр за паўгода падаражэлі амаль на пятую частку",
        "dek": "Рэгуляванне цэн не спыніла рост: вытворцы скарачаюць асартымент і памер упакоўкі.",
        "body": (
            "<p>Малочныя прадукты ў крамах падаражэлі за паўгода ў сярэднім на 18 працэнтаў, "
            "паводле падлікаў BPN на аснове цэн у трох буйных сетках. Хутчэй за ўсё раслі цэны "
            "на цвёрды сыр і сметанковае масла.</p>"
            "<p>Афіцыйна цэны на асноўныя прадукты рэгулююцца, і гандаль не можа падымаць іх "
            "без узгаднення. Але вытворцы знайшлі іншыя шляхі: змяншаюць памер упакоўкі, "
            "выпускаюць «новыя» тавары пад іншай назвай і не прывозяць у крамы таннейшыя "
            "пазіцыі.</p>"
            "<h2>Што змянілася на паліцах</h2>"
            "<ul>"
            "<li>пачак масла — 180 грамаў замест 200;</li>"
            "<li>малако тлустасцю 3,2 % усё часцей замяняюць на 2,5 %;</li>"
            "<li>самы танны сыр знік з большасці крам.</li>"
            "</ul>"
            "<p>Эканаміст, які вывучае спажывецкі рынак, кажа, што рэгуляванне толькі схавала "
            "інфляцыю: «Лічба ў справаздачы застаецца прыгожай, а кошык у пакупніка — "
            "меншым».</p>"
        ),
        "section": "economy",
        "also_in": ["society"],
        "tags": ["цэны", "інфляцыя"],
        "language": "be",
        "access": "plus",
        "authors": ["ihar-maroz"],
        "hours_ago": 45,
    },
    {
        "headline": "Diaspora groups agree on a single list of people jailed for political reasons",
        "dek": "Three organisations kept separate lists with different totals; families say "
        "that confused donors and diplomats alike.",
        "body": (
            "<p>Three diaspora organisations that have each kept their own list of people "
            "jailed for political reasons have agreed to merge them into one register, with "
            "shared rules on who is included and how cases are checked.</p>"
            "<p>The lists had drifted apart: by last month the highest and lowest counts "
            "differed by several hundred names. Relatives of prisoners told BPN that the gap "
            "confused donors, and that diplomats sometimes quoted the lowest number.</p>"
            "<h2>How the register will work</h2>"
            "<ul>"
            "<li>A case is added when two independent sources confirm the arrest and the "
            "charge.</li>"
            "<li>Names are published only with the family’s consent; the rest are counted "
            "anonymously.</li>"
            "<li>Released prisoners stay on the register, marked as released, so that their "
            "cases are not forgotten.</li>"
            "</ul>"
            "<blockquote><p>My son was on one list and not on another for four months. I had to "
            "explain to people that he exists.</p></blockquote>"
            "<p>The first joint figures are expected within weeks. The organisations have set up "
            'a <a href="https://example.org/register">secure form</a> for families who want to '
            "report a case.</p>"
        ),
        "section": "politics",
        "also_in": ["security", "society"],
        "tags": ["Political prisoners", "Diaspora", "Human rights"],
        "authors": ["alena-karpovich", "maryia-hlebovich"],
        "hours_ago": 52,
        "image": {
            "label": "One register",
            "caption": "Until now, three lists gave three different totals.",
        },
    },
    {
        "headline": "State fertiliser producer quietly moves its exports to a northern "
        "Russian port",
        "dek": "Shipping data suggest the new route costs the company about a fifth more per "
        "tonne.",
        "body": (
            "<p>A state-owned fertiliser producer has shifted almost all of its seaborne "
            "exports to a port in north-western Russia, according to ship-tracking data "
            "analysed by BPN, completing a move that began when the Baltic routes closed.</p>"
            "<p>The new route is longer and dearer. Rail tariffs, port fees and the premium for "
            "vessels willing to call at the port add roughly a fifth to the cost of each tonne, "
            "according to an analyst at a commodity consultancy.</p>"
            "<h2>Where the cargo goes</h2>"
            "<p>Most shipments now head to Brazil, India and South-East Asia. Buyers there pay "
            "less than European customers used to, and the company has offered discounts to "
            "win market share from competitors.</p>"
            "<blockquote><p>The volumes are back. The money is not.</p></blockquote>"
            "<p>So said the analyst, who asked that the consultancy not be named because it has "
            "clients in the region. The company did not answer questions sent by email. Its "
            'last <a href="https://example.org/annual-report">annual report</a> predates the '
            "switch.</p>"
        ),
        "section": "economy",
        "tags": ["Exports", "Sanctions", "Russia"],
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 60,
        "image": {
            "label": "Fertiliser exports",
            "caption": "Most cargo now sails to Brazil, India and South-East Asia.",
        },
    },
    {
        "headline": "Выпускников колледжей обязали два года отработать по распределению",
        "dek": "Тем, кто откажется, придётся вернуть государству стоимость обучения.",
        "body": (
            "<p>Выпускники колледжей, обучавшиеся за счёт бюджета, теперь обязаны отработать "
            "по распределению два года вместо прежнего одного. Изменения внесены в правила "
            "распределения и касаются тех, кто поступает начиная с этого года.</p>"
            "<p>Отказавшимся придётся вернуть стоимость обучения. Для большинства "
            "специальностей это сумма, сопоставимая с годовой зарплатой молодого "
            "специалиста.</p>"
            "<h2>Что говорят студенты</h2>"
            "<p>Студентка медицинского колледжа из областного центра рассказала BPN, что многие "
            "её однокурсники теперь думают о платном обучении: «Лучше заплатить сейчас, чем "
            "потом два года работать там, где нет даже жилья».</p>"
            "<p>Социолог, изучающий рынок труда, считает, что мера направлена прежде всего на "
            "сёла и малые города, откуда молодёжь уезжает быстрее всего. По его словам, без "
            "жилья и нормальной зарплаты распределение лишь откладывает отъезд на два "
            "года.</p>"
        ),
        "section": "society",
        "tags": ["образование", "Youth"],
        "language": "ru",
        "authors": ["pavel-zhuk"],
        "hours_ago": 68,
    },
    # From here on, shorter pieces.
    {
        "headline": "Court in Hrodna jails three people over small donations to a volunteer fund",
        "dek": "The donations, made two years ago, ranged from the equivalent of 5 to 20 euros.",
        "body": (
            "<p>A regional court in Hrodna has sentenced three residents of the city to between "
            "two and three years in a general-regime colony for “financing extremist "
            "activity”. The charge rested on bank transfers made two years ago to a volunteer "
            "fund that helps the families of political prisoners.</p>"
            "<p>According to a human-rights group that followed the trial, the largest donation "
            "was the equivalent of about 20 euros. All three defendants admitted making the "
            "transfers and said they had not known the fund had been declared extremist.</p>"
            "<p>Lawyers say donation cases are now among the most common political "
            "prosecutions, because bank records make them easy to prove. A "
            '<a href="https://example.org/donations-safety">guide to the risks</a> is available '
            "in Belarusian and Russian.</p>"
        ),
        "section": "security",
        "also_in": ["politics"],
        "tags": ["Courts", "Political prisoners", "Hrodna"],
        "authors": ["maryia-hlebovich"],
        "hours_ago": 76,
        "image": {
            "label": "Hrodna court",
            "caption": "The largest of the three donations was about 20 euros.",
        },
    },
    {
        "headline": "Belarusian-language publishing in exile has a record year, on thin margins",
        "dek": "Small presses in Vilnius, Warsaw and Białystok released more titles than ever, "
        "but few sell more than 500 copies.",
        "body": (
            "<p>Independent publishers working outside Belarus released more Belarusian-language "
            "books last year than in any year since they began counting, according to a survey "
            "by an association of exiled publishers. Poetry and memoir led, followed by "
            "children’s books.</p>"
            "<p>Print runs are small. Most titles sell between 200 and 500 copies, split between "
            "diaspora bookshops, festivals and online orders. Sending books into Belarus now puts "
            "the recipient at risk, so e-books are a growing share of sales.</p>"
            "<p>Several publishers told BPN they rely on grants for at least half their costs. "
            "“The readers are there,” one of them said. “They are just spread across twenty "
            "countries.”</p>"
        ),
        "section": "culture",
        "tags": ["Books", "Belarusian language", "Diaspora"],
        "access": "plus",
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 84,
    },
    {
        "headline": "Мясцовыя саветы атрымаюць новыя паўнамоцтвы ў бюджэтных пытаннях",
        "dek": "Праект закона дазваляе саветам пераразмяркоўваць да дзясятай часткі мясцовага "
        "бюджэту.",
        "body": (
            "<p>Праект закона аб мясцовым кіраванні, апублікаваны для абмеркавання, дае "
            "раённым і абласным саветам права самім пераразмяркоўваць да дзесяці працэнтаў "
            "мясцовага бюджэту паміж артыкуламі выдаткаў.</p>"
            "<p>Цяпер такія змены патрабуюць згоды выканаўчага камітэта. Аўтары праекта "
            "сцвярджаюць, што новыя правілы зробяць саветы «бліжэйшымі да людзей».</p>"
            "<p>Палітолаг, з якім размаўляў BPN, сумняваецца ў рэальным эфекце: саветы "
            "па-ранейшаму фармуюцца пад кантролем вертыкалі, і ніводзін з іх за апошнія гады не "
            "прагаласаваў супраць прапановы выканкама.</p>"
        ),
        "section": "politics",
        "also_in": ["economy"],
        "tags": ["мясцовае самакіраванне", "Local government"],
        "language": "be",
        "hours_ago": 92,
        "image": {
            "label": "Local budgets",
            "caption": "Саветы змогуць пераразмяркоўваць да 10 % бюджэту.",
            "alt": "Абстрактная чырвоная ілюстрацыя з надпісам «Local budgets».",
        },
    },
    {
        "headline": "IT firms that left Minsk report a second wave of moves — this time "
        "from Warsaw",
        "dek": "Higher rents and slower residence permits in Poland push some companies on to "
        "Lithuania, Georgia and Portugal.",
        "body": (
            "<p>A survey of 80 technology companies founded in Belarus and now registered abroad "
            "found that one in six plans to move again within a year, most of them from Poland. "
            "Office rents, changes to tax rules for contractors and slow residence-permit "
            "decisions were the reasons given most often.</p>"
            "<p>Lithuania, Georgia and Portugal were the most popular next destinations. Several "
            "founders said they would keep a small office in Warsaw and move most staff to "
            "remote contracts.</p>"
            "<p>The survey was carried out by an association of Belarusian tech entrepreneurs; "
            '<a href="https://example.org/it-survey">the full results</a> include a breakdown by '
            "company size.</p>"
        ),
        "section": "economy",
        "also_in": ["society"],
        "tags": ["IT", "Emigration", "Poland"],
        "access": "plus",
        "authors": ["ihar-maroz"],
        "hours_ago": 100,
        "image": {
            "label": "IT on the move",
            "caption": "One company in six plans to move again within a year.",
        },
    },
    {
        "headline": "Volunteers in Warsaw open a legal-aid desk for newly arrived Belarusians",
        "dek": "The desk helps with residence permits, school places and bank accounts, two "
        "evenings a week.",
        "body": (
            "<p>A group of Belarusian lawyers and students in Warsaw has opened a free legal-aid "
            "desk for people who have recently left Belarus. It runs two evenings a week in a "
            "community centre and takes appointments through a messenger bot.</p>"
            "<p>Most questions so far have been about residence permits, school places for "
            "children and bank accounts, which some banks make hard to open with a Belarusian "
            "passport.</p>"
            "<p>The volunteers say they answered more than 150 requests in the first month. "
            "“People arrive with a suitcase and a folder of documents they don’t understand,” "
            "said one of them, a second-year law student. “We start with the folder.”</p>"
        ),
        "section": "society",
        "tags": ["Diaspora", "Poland", "Migration"],
        "authors": ["pavel-zhuk"],
        "hours_ago": 110,
    },
    {
        "headline": "Why Maładzečna’s district chief was replaced overnight",
        "dek": "The decree cites a “transfer to other work”; officials point to a row over "
        "harvest figures.",
        "body": (
            "<p>The head of the Maładzečna district administration was dismissed late on "
            "Thursday by a decree that gave only a “transfer to other work” as the reason. His "
            "successor, a former deputy from a neighbouring district, was introduced to staff "
            "the next morning.</p>"
            "<p>Two officials in the district administration told BPN the dismissal followed an "
            "inspection which found that the district’s harvest figures had been inflated. "
            "Similar inspections took place in several districts this year, and at least two "
            "other district heads lost their posts.</p>"
            "<p>Analysts say the quick turnover of local chiefs lets the centre show control "
            'without changing policy. <a href="https://example.org/district-chiefs">Our '
            "tracker</a> lists every change of district head this year.</p>"
        ),
        "section": "politics",
        "tags": ["Local government", "Agriculture"],
        "access": "plus",
        "authors": ["alena-karpovich"],
        "hours_ago": 120,
        "image": {
            "label": "Maladzechna",
            "caption": "The new district head was introduced to staff the morning after.",
        },
    },
    {
        "headline": "Курс белорусского рубля: чего ждать до конца квартала",
        "dek": "Экономисты ждут плавного ослабления, но не резких скачков.",
        "body": (
            "<p>Белорусский рубль с начала квартала ослаб к российскому примерно на три "
            "процента, а к доллару и евро — меньше чем на процент. Национальный банк "
            "по-прежнему сглаживает колебания продажами валюты на бирже.</p>"
            "<p>Опрошенные BPN экономисты ожидают, что до конца квартала курс будет плавно "
            "снижаться. Главный риск, по их словам, — зависимость от российского рынка: любое "
            "ослабление российской валюты быстро отражается на белорусской.</p>"
            "<p>Резких скачков аналитики не ждут, но советуют не держать сбережения в одной "
            "валюте. Как менялся курс в последние годы — в нашем "
            '<a href="https://example.org/rouble">разборе</a>.</p>'
        ),
        "section": "economy",
        "tags": ["курс валют", "Banking"],
        "language": "ru",
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 130,
    },
    {
        "headline": "Drone debris found in a field near the Ukrainian border, officials say",
        "dek": "Local authorities cordoned off the area and asked residents not to touch any "
        "fragments.",
        "body": (
            "<p>Fragments of what local authorities described as an unmanned aerial vehicle "
            "were found in a field in the south of the Homiel region, close to the border with "
            "Ukraine, officials said on Tuesday.</p>"
            "<p>The area was cordoned off, and residents of a nearby village were told by text "
            "message not to approach or touch any debris. Officials did not say where the drone "
            "had come from or when it fell.</p>"
            "<p>It is at least the fourth such find reported in border districts this year. "
            "Residents say news of earlier incidents came only days later, after photographs "
            "had spread on social media.</p>"
        ),
        "section": "security",
        "tags": ["Military", "Ukraine", "Border"],
        "hours_ago": 140,
        "image": {
            "label": "Homiel region",
            "caption": "Residents were told by text message not to approach the debris.",
        },
    },
    {
        "headline": "A jazz festival in Minsk goes ahead — without its foreign headliners",
        "dek": "Organisers replaced the guests who could not travel with local bands and moved "
        "the main stage indoors.",
        "body": (
            "<p>A jazz festival held in Minsk for more than a decade opened this weekend without "
            "any of the foreign musicians first announced on its poster. Organisers said visa "
            "and travel difficulties had forced the changes.</p>"
            "<p>Local bands filled most of the programme, and the main stage moved from a park "
            "to a concert hall after the city declined to approve an open-air event. Tickets "
            "were refunded on request.</p>"
            "<p>Musicians said audiences were as large as ever. “People came for the music and "
            "for each other,” said a saxophonist from Hrodna who played on the opening night. "
            "“Maybe more for each other.”</p>"
        ),
        "section": "culture",
        "tags": ["Music", "Minsk"],
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 150,
    },
    {
        "headline": "How many Belarusians have left since 2020? A new estimate",
        "dek": "Combining permit data from twelve countries, researchers arrive at a range, "
        "not a single number.",
        "body": (
            "<p>Researchers at a Vilnius-based think-tank estimate that between 300,000 and "
            "500,000 people have left Belarus for a longer period since 2020, combining "
            "residence-permit, work-visa and asylum data from twelve countries.</p>"
            "<p>The range is wide because many people hold permits in more than one country, "
            "some have returned, and Russia, by some measures the largest destination, publishes "
            "little usable data. Poland and Lithuania account for the largest documented "
            "share.</p>"
            "<p>The authors say the figure matters beyond politics: those who left are "
            "disproportionately young, urban and skilled. "
            '<a href="https://example.org/emigration-estimate">The full study</a> breaks the '
            "estimate down by age and profession.</p>"
        ),
        "section": "society",
        "also_in": ["politics"],
        "tags": ["Emigration", "Diaspora", "Data"],
        "access": "plus",
        "authors": ["ihar-maroz", "pavel-zhuk"],
        "hours_ago": 160,
        "image": {
            "label": "Who left",
            "caption": "The estimate combines permit data from twelve countries.",
        },
    },
    {
        "headline": "Беларускія мастакі ў Берліне адкрылі выставу пра памяць",
        "dek": "У экспазіцыі — сямейныя фотаздымкі, лісты і рэчы, якія аўтары вывезлі з дому "
        "ў адной валізцы.",
        "body": (
            "<p>У невялікай галерэі ў Берліне адкрылася выстава шасці беларускіх мастакоў, "
            "якія апошнія гады жывуць у Германіі. Яна называецца «Адна валізка» і прысвечана "
            "таму, што людзі бяруць з сабой, калі з’язджаюць хутка і надоўга.</p>"
            "<p>Сярод экспанатаў — старыя сямейныя фотаздымкі, бабуліна вышыванка, ключы ад "
            "кватэры, у якую ўжо нельга вярнуцца, і сшытак з рэцэптамі, перапісаны ад "
            "рукі.</p>"
            "<p>Выстава працуе да канца месяца, уваход вольны. Арганізатары плануюць паказаць "
            "яе таксама ў Варшаве.</p>"
        ),
        "section": "culture",
        "tags": ["мастацтва", "Diaspora"],
        "language": "be",
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 172,
        "image": {
            "label": "One suitcase",
            "caption": "Выстава «Адна валізка» працуе да канца месяца.",
            "alt": "Абстрактная фіялетавая ілюстрацыя з надпісам «One suitcase».",
        },
    },
    {
        "headline": "Election commission publishes the rules for next year’s local vote",
        "dek": "Independent candidates will need twice as many signatures, and foreign "
        "observers come only by invitation.",
        "body": (
            "<p>The central election commission has published the timetable and rules for "
            "next year’s local council elections. Nominations will open three months before the "
            "vote, and independent candidates will need twice as many signatures as under the "
            "previous rules.</p>"
            "<p>International observers will be invited only at the commission’s discretion. "
            "Domestic observers must be nominated by registered parties or public associations, "
            "few of which remain outside the pro-government camp.</p>"
            "<p>Independent election monitors, most of them now working from abroad, said the "
            "rules leave no realistic path for opposition candidates and asked voters to "
            "document any irregularities they see.</p>"
        ),
        "section": "politics",
        "tags": ["Elections", "Local government"],
        "hours_ago": 184,
    },
    {
        "headline": "Farmers say state procurement prices lag behind the cost of fuel",
        "dek": "Private farms are selling grain to neighbours and feed mills rather than to the "
        "state.",
        "body": (
            "<p>Private farmers in several regions say the prices paid by state procurement "
            "agencies for grain and milk have not kept pace with the cost of diesel, fertiliser "
            "and spare parts, which rose sharply once imports from the EU were disrupted.</p>"
            "<p>Some now sell directly to neighbours, small feed mills and traders instead, "
            "although farms that took state loans must deliver a fixed share of their harvest "
            "to the state.</p>"
            "<p>A farmer from the Minsk region with 200 hectares said he had cut the area he "
            "sows by a quarter: “If I plant everything, I lose more.”</p>"
        ),
        "section": "economy",
        "tags": ["Agriculture", "Prices"],
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 196,
        "image": {
            "label": "Procurement prices",
            "caption": "Diesel, fertiliser and spare parts all cost more than a year ago.",
        },
    },
    {
        "headline": "Пограничники сообщили о задержании группы мигрантов у литовской границы",
        "dek": "По данным ведомства, задержаны 14 человек; правозащитники просят допустить к ним "
        "юристов.",
        "body": (
            "<p>Пограничная служба сообщила о задержании группы из 14 иностранных граждан "
            "вблизи литовской границы в Островецком районе. По данным ведомства, люди пытались "
            "пересечь границу вне пунктов пропуска.</p>"
            "<p>Задержанных, среди которых, по словам очевидцев, есть женщины и дети, доставили "
            "в пункт временного содержания. Из каких стран они прибыли, не сообщается.</p>"
            "<p>Правозащитная организация, помогающая мигрантам в регионе, призвала обеспечить "
            "задержанным доступ к юристам и переводчикам и не выдворять людей, которые могут "
            "просить убежища.</p>"
        ),
        "section": "security",
        "tags": ["мигранты", "Border", "Lithuania"],
        "language": "ru",
        "hours_ago": 208,
    },
    {
        "headline": "Schools in the Viciebsk region cut Belarusian-language classes again",
        "dek": "Parents say a class opens only if twenty families ask for it — a threshold small "
        "schools rarely reach.",
        "body": (
            "<p>Schools in several districts of the Viciebsk region will merge or close their "
            "remaining Belarusian-language classes next school year, according to parents who "
            "received notices from head teachers.</p>"
            "<p>Officials cite low demand. Parents who tried to enrol their children say they "
            "were told a class would open only if at least twenty families applied, which "
            "rarely happens in small schools.</p>"
            "<p>“We applied, and we were the only ones,” said the mother of a seven-year-old in "
            "Orša. “Then they told us it was our choice that nobody else wanted it.”</p>"
        ),
        "section": "society",
        "also_in": ["culture"],
        "tags": ["Education", "Belarusian language"],
        "authors": ["pavel-zhuk"],
        "hours_ago": 220,
        "image": {
            "label": "School classes",
            "caption": "A class opens only if twenty families apply.",
        },
    },
    {
        "headline": "Žodzina’s factory choir turns 70 with a song nobody expected",
        "dek": "A retired welder wrote the anniversary piece, and it is in Belarusian.",
        "body": (
            "<p>The workers’ choir of a truck factory in Žodzina celebrated its seventieth "
            "anniversary this week with a concert in the factory’s palace of culture, where it "
            "has rehearsed every Tuesday for as long as anyone can remember.</p>"
            "<p>The surprise of the evening was a new song by a retired welder who has sung "
            "bass in the choir for 31 years. It is about the town’s first apartment blocks and "
            "the people who built them, and it is in Belarusian, a first for the choir’s "
            "repertoire in decades.</p>"
            "<p>The audience asked for it twice. A recording is on the choir’s "
            '<a href="https://example.org/zodzina-choir">page</a>.</p>'
        ),
        "section": "culture",
        "tags": ["Music", "Belarusian language"],
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 232,
    },
    {
        "headline": "More lawyers lose their licences in a new round of disbarments",
        "dek": "Seven defence lawyers who took political cases were struck off after an "
        "“extraordinary qualification review”.",
        "body": (
            "<p>Seven defence lawyers lost their licences this week after what the justice "
            "ministry called an extraordinary qualification review. All of them had represented "
            "defendants in politically motivated cases, according to a human-rights group that "
            "tracks the profession.</p>"
            "<p>The group estimates that several hundred lawyers have left the bar or been "
            "forced out since 2020, leaving some defendants unable to find anyone willing to "
            "take their case.</p>"
            "<p>One of the disbarred lawyers, who asked not to be named, said the review lasted "
            "eleven minutes: “They asked me two questions about procedure and one about my "
            "‘attitude to the state’. The third question was the real one.”</p>"
        ),
        "section": "security",
        "also_in": ["politics"],
        "tags": ["Courts", "Human rights", "Repression"],
        "access": "plus",
        "authors": ["maryia-hlebovich"],
        "hours_ago": 244,
        "image": {
            "label": "Disbarred",
            "caption": "The review lasted eleven minutes, one of the lawyers said.",
        },
    },
    {
        "headline": "Студэнты-медыкі скардзяцца на нястачу месцаў у інтэрнатах",
        "dek": "Першакурснікам прапануюць здымаць жыллё самастойна, а кампенсацыя не пакрывае "
        "і паловы кошту.",
        "body": (
            "<p>Студэнты аднаго з медыцынскіх універсітэтаў скардзяцца, што сёлета большасць "
            "першакурснікаў не атрымала месцаў у інтэрнатах. Універсітэт тлумачыць гэта "
            "рамонтам аднаго з карпусоў.</p>"
            "<p>Тым, хто застаўся без месца, прапанавалі кампенсацыю за арэнду жылля. Паводле "
            "студэнтаў, яна не пакрывае нават паловы кошту пакоя ў горадзе.</p>"
            "<p>Некалькі студэнтаў расказалі BPN, што жывуць утрох у аднапакаёвай кватэры або "
            "штодня ездзяць на заняткі з іншага горада.</p>"
        ),
        "section": "society",
        "tags": ["студэнты", "Education"],
        "language": "be",
        "hours_ago": 256,
    },
    {
        "headline": "Joint-venture car plant misses its output target for a third year",
        "dek": "The plant built fewer than half the cars its business plan promised; most parts "
        "are still imported.",
        "body": (
            "<p>A car assembly plant set up as a joint venture with a foreign manufacturer built "
            "fewer than half the vehicles planned for last year, according to its annual "
            "disclosure. It was the third year running that the plant missed its target.</p>"
            "<p>The plan assumed a rising share of locally made parts, but most components are "
            "still imported, and shipping them costs more every year. Dealers say demand at "
            "home is weak, and exports to Russia face cheaper competitors.</p>"
            "<p>An industry analyst called the plant “a prestige project that the budget keeps "
            "alive”, pointing to repeated capital injections from state banks.</p>"
        ),
        "section": "economy",
        "tags": ["Industry", "Exports"],
        "access": "plus",
        "authors": ["ihar-maroz"],
        "hours_ago": 268,
    },
    {
        "headline": "Diaspora forum in Vilnius ends without a joint statement",
        "dek": "Delegates agreed on a fund for released prisoners but split over talks with the "
        "authorities.",
        "body": (
            "<p>A two-day forum of Belarusian diaspora organisations in Vilnius ended on Sunday "
            "without the joint statement its organisers had hoped for. Delegates from 19 "
            "countries disagreed over whether the democratic movement should be ready to "
            "negotiate with the authorities in Minsk, and on what terms.</p>"
            "<p>They did agree to set up a common fund to help released political prisoners "
            "with housing, medical care and work, run by a board elected by the participating "
            "organisations.</p>"
            "<p>Several delegates called the debate itself a sign of health. “Three years ago we "
            "could not have had this argument in one room,” said a delegate from Prague. “Now "
            "we had it for six hours.”</p>"
        ),
        "section": "politics",
        "tags": ["Diaspora", "Political prisoners", "Vilnius"],
        "authors": ["alena-karpovich"],
        "hours_ago": 280,
        "image": {
            "label": "Vilnius forum",
            "caption": "Delegates came from 19 countries.",
        },
    },
    {
        "headline": "В Гродно отменили фестиваль уличной музыки",
        "dek": "Организаторам не согласовали площадку за неделю до открытия.",
        "body": (
            "<p>Фестиваль уличной музыки, который несколько лет проходил в центре Гродно, в "
            "этом году не состоится. Организаторы сообщили, что городские власти за неделю до "
            "открытия отказались согласовать площадку, не объяснив причин.</p>"
            "<p>На фестиваль было заявлено около тридцати коллективов из разных городов страны. "
            "Часть музыкантов уже купила билеты на поезд.</p>"
            "<p>Организаторы пообещали вернуть деньги за проданные сувениры и попробовать "
            "провести концерты в частных клубах, «если это будет возможно».</p>"
        ),
        "section": "culture",
        "tags": ["музыка", "Hrodna"],
        "language": "ru",
        "hours_ago": 292,
    },
    {
        "headline": "Railway sabotage case: prosecutors ask for 15-year terms",
        "dek": "Four men are accused of damaging signalling equipment; their lawyers say the "
        "case rests on confessions.",
        "body": (
            "<p>Prosecutors have asked a closed court to sentence four men to 15 years each for "
            "sabotage, over damage to railway signalling equipment in the Minsk region. Their "
            "families were allowed to attend only the first hearing.</p>"
            "<p>According to people close to the case, the prosecution relies mainly on "
            "confessions made in the first days after the arrests, which two of the defendants "
            "later withdrew, saying they had been made under pressure.</p>"
            "<p>A verdict is expected within weeks. Human-rights groups have recognised all four "
            "men as political prisoners.</p>"
        ),
        "section": "security",
        "tags": ["Courts", "Political prisoners"],
        "access": "plus",
        "authors": ["maryia-hlebovich"],
        "hours_ago": 304,
    },
    {
        "headline": "A Mahilioŭ hospital asks patients’ relatives to bring their own bandages",
        "dek": "A notice on the surgical ward lists what families should buy before an operation.",
        "body": (
            "<p>A notice on the door of the surgical ward of a hospital in Mahilioŭ asks the "
            "relatives of patients due for operations to bring bandages, disposable syringes and "
            "a set of bed linen. A reader sent BPN a photograph of the notice, and two patients "
            "confirmed it.</p>"
            "<p>The hospital administration did not answer questions, but a nurse who works "
            "there said shortages of basic supplies have been common for months: the "
            "procurement budget has stayed the same while import prices have not.</p>"
            "<p>Patients’ groups say such requests are increasingly common in regional "
            "hospitals; in the capital they are still rare.</p>"
        ),
        "section": "society",
        "tags": ["Health care", "Mahilioŭ"],
        "authors": ["pavel-zhuk"],
        "hours_ago": 316,
        "image": {
            "label": "Surgical ward",
            "caption": "The notice lists bandages, syringes and bed linen.",
        },
    },
    {
        "headline": "Малыя прадпрыемствы ў рэгіёнах зачыняюцца хутчэй, чым адкрываюцца",
        "dek": "За год колькасць індывідуальных прадпрымальнікаў у некаторых раёнах "
        "скарацілася на чвэрць.",
        "body": (
            "<p>Колькасць малых прадпрыемстваў і індывідуальных прадпрымальнікаў у рэгіёнах "
            "працягвае скарачацца. Паводле звестак мясцовых падатковых інспекцый, у некаторых "
            "раёнах за год іх стала менш на чвэрць.</p>"
            "<p>Прадпрымальнікі называюць адны і тыя ж прычыны: новыя патрабаванні да касавага "
            "абсталявання, частыя праверкі і абмежаванні на продаж тавараў без поўнага пакета "
            "дакументаў ад вытворцы.</p>"
            "<p>«Я дваццаць гадоў гандлявала на рынку, — расказала BPN прадпрымальніца з "
            "райцэнтра. — Цяпер прасцей працаваць прадаўшчыцай у сетцы, чым мець сваю "
            "справу».</p>"
        ),
        "section": "economy",
        "tags": ["прадпрымальніцтва", "Small business"],
        "language": "be",
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 328,
    },
    {
        "headline": "A Belarusian-language children’s podcast passes a million downloads",
        "dek": "Two mothers in Białystok started it for their own children; it now has "
        "listeners in more than 40 countries.",
        "body": (
            "<p>A podcast of bedtime stories in Belarusian, started by two mothers in Białystok "
            "who could not find enough audio for their own children, has passed a million "
            "downloads. Its creators say listeners come from more than 40 countries, and a "
            "growing share from inside Belarus.</p>"
            "<p>Each episode lasts about fifteen minutes. Some retell folk tales; others are new "
            "stories by volunteer authors, read by actors, several of them from theatres that "
            "closed or dismissed staff in recent years.</p>"
            "<p>The creators plan a book of the most popular stories. Episodes are free on their "
            '<a href="https://example.org/kazki">website</a>.</p>'
        ),
        "section": "culture",
        "tags": ["Belarusian language", "Podcasts", "Children"],
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 340,
        "image": {
            "label": "Bedtime stories",
            "caption": "Each episode lasts about fifteen minutes.",
        },
    },
    {
        "headline": "Foreign ministry summons an EU envoy over “unfriendly” visa rules",
        "dek": "The ministry objected to a proposed limit on multi-entry visas for Belarusian "
        "passport holders.",
        "body": (
            "<p>The foreign ministry in Minsk summoned the head of an EU member state’s mission "
            "on Monday to protest against a proposed limit on multi-entry visas for Belarusian "
            "citizens, which it called discriminatory and “unfriendly”.</p>"
            "<p>The proposal, not yet adopted, would give most Belarusian applicants single-entry "
            "visas only, with exceptions for family visits, study and humanitarian cases.</p>"
            "<p>Diaspora groups have asked the EU to keep the exceptions broad, warning that "
            "tighter rules would hit ordinary travellers and families rather than officials.</p>"
        ),
        "section": "politics",
        "tags": ["Diplomacy", "Visas"],
        "hours_ago": 352,
    },
    {
        "headline": "Household energy tariffs to rise twice this year",
        "dek": "Gas, heating and electricity will cost about 8 per cent more by the end of the "
        "year.",
        "body": (
            "<p>Households will pay more for gas, heating and electricity after the government "
            "approved two tariff increases this year, each of about four per cent. The first "
            "takes effect next month.</p>"
            "<p>Officials say households still pay only part of the real cost of heating and "
            "that the increases will reduce cross-subsidies from industry. Pensioners and large "
            "families keep their existing discounts.</p>"
            "<p>An energy economist said the rises are modest next to neighbouring countries but "
            "will be felt by households whose incomes have fallen in real terms: “A few per cent "
            "on the bill is a lot when wages are flat.”</p>"
        ),
        "section": "economy",
        "also_in": ["society"],
        "tags": ["Energy", "Prices"],
        "access": "plus",
        "authors": ["dzmitry-saroka"],
        "hours_ago": 364,
        "image": {
            "label": "Energy tariffs",
            "caption": "The first increase takes effect next month.",
        },
    },
    {
        "headline": "Волонтёры из Белостока собирают посылки для семей политзаключённых",
        "dek": "Чаще всего просят школьные принадлежности, лекарства и тёплую одежду для детей.",
        "body": (
            "<p>Волонтёры из Белостока уже третий месяц собирают посылки для семей "
            "политзаключённых, оставшихся в Беларуси. Вещи передают через знакомых и "
            "родственников, чтобы не подвергать получателей риску.</p>"
            "<p>Чаще всего семьи просят школьные принадлежности, лекарства и одежду для детей. "
            "Одна из координаторов рассказала BPN, что списки составляются по запросам самих "
            "семей: «Мы не решаем за людей, что им нужно».</p>"
            "<p>Помочь можно и онлайн: инструкция опубликована на "
            '<a href="https://example.org/posylki">странице инициативы</a>.</p>'
        ),
        "section": "society",
        "also_in": ["politics"],
        "tags": ["волонтёры", "Political prisoners"],
        "language": "ru",
        "authors": ["pavel-zhuk"],
        "hours_ago": 376,
    },
    {
        "headline": "Thermal cameras and new fences: what has changed on the western border",
        "dek": "What both sides have built over three years, and what it means for anyone "
        "crossing.",
        "body": (
            "<p>Over the past three years both Belarus and its EU neighbours have rebuilt the "
            "western border. On the EU side, fences, thermal cameras and motion sensors now "
            "cover most of the frontier; on the Belarusian side, new checkpoints and patrol "
            "roads have been added.</p>"
            "<p>The result is a border that is far harder to cross outside official points, and "
            "official crossings that open and close at short notice. Traffic is concentrated on "
            "a handful of checkpoints, which is why queues build up so quickly.</p>"
            "<ul>"
            "<li>Fewer passenger checkpoints are open than three years ago.</li>"
            "<li>Bus routes have been cut, so many travellers now cross by car.</li>"
            "<li>Most irregular crossings happen in forest far from roads.</li>"
            "</ul>"
        ),
        "section": "security",
        "tags": ["Border", "Poland", "Lithuania"],
        "access": "plus",
        "authors": ["maryia-hlebovich"],
        "hours_ago": 388,
        "image": {
            "label": "Western border",
            "caption": "Traffic is concentrated on a handful of checkpoints.",
        },
    },
    {
        "headline": "In Pinsk, a riverbank clean-up becomes a quiet act of civic life",
        "dek": "Residents clear a neglected stretch of the river every Saturday, and take care "
        "not to call it anything political.",
        "body": (
            "<p>For the past two months, a few dozen residents of Pinsk have met every Saturday "
            "morning to clear rubbish from a neglected stretch of riverbank. They bring their "
            "own gloves and bags, and the city collects what they gather.</p>"
            "<p>The organisers insist the effort has nothing to do with politics and stay off "
            "social media, announcing each meeting by word of mouth. Several participants said "
            "that was exactly the point.</p>"
            "<p>“After everything, people want to do something together that nobody can object "
            "to,” said a retired teacher who comes every week. “It turns out there are still "
            "things like that.”</p>"
        ),
        "section": "society",
        "tags": ["Civil society", "Environment"],
        "hours_ago": 400,
    },
    {
        "headline": "Што змяняе новы закон пра грамадзянства",
        "dek": "Тлумачым, каго можа закрануць пазбаўленне грамадзянства і што рабіць тым, хто "
        "жыве за мяжой.",
        "body": (
            "<p>Парламент прыняў папраўкі да закона аб грамадзянстве. Яны пашыраюць падставы, "
            "па якіх чалавека, што атрымаў грамадзянства не па нараджэнні, можна яго "
            "пазбавіць, і ўводзяць новыя правілы для тых, хто доўга жыве за мяжой.</p>"
            "<h2>Каго гэта датычыць</h2>"
            "<ul>"
            "<li>тых, хто атрымаў грамадзянства праз натуралізацыю;</li>"
            "<li>тых, хто мае від на жыхарства ў іншай краіне і не стаіць на консульскім "
            "уліку;</li>"
            "<li>тых, каго асудзілі завочна.</li>"
            "</ul>"
            "<p>Юрысты раяць тым, хто жыве за мяжой, захоўваць копіі ўсіх дакументаў і не "
            "адкладаць афармленне дакументаў краіны пражывання. Падрабязная "
            '<a href="https://example.org/hramadzianstva">інструкцыя</a> — на нашым сайце.</p>'
        ),
        "section": "politics",
        "also_in": ["society"],
        "tags": ["грамадзянства", "Diaspora"],
        "language": "be",
        "access": "plus",
        "authors": ["alena-karpovich"],
        "hours_ago": 420,
        "image": {
            "label": "Citizenship law",
            "caption": "Папраўкі ўступаюць у сілу праз месяц.",
            "alt": "Абстрактная чырвоная ілюстрацыя з надпісам «Citizenship law».",
        },
    },
    {
        "headline": "Restored 1920s films return to a Minsk cinema for one week",
        "dek": "Silent films from the first Belarusian film studio screen with live piano.",
        "body": (
            "<p>A cinema in central Minsk is showing a week of restored silent films made in the "
            "1920s by the first Belarusian film studio. Each screening is accompanied by a "
            "pianist playing a newly written score.</p>"
            "<p>The restoration drew on copies held in archives in three countries, and some of "
            "the films are being shown publicly for the first time in decades.</p>"
            "<p>Tickets for the first four evenings sold out within hours. The organisers have "
            "promised an extra screening on the last day.</p>"
        ),
        "section": "culture",
        "tags": ["Film", "Minsk"],
        "authors": ["katsiaryna-liavonava"],
        "hours_ago": 470,
    },
    # Scheduled: goes live by itself about two days after the first run.
    {
        "headline": "Explainer: what a new “extremist materials” ruling means for readers abroad",
        "dek": "Reading is not an offence, but sharing may be: a guide to the risks for people "
        "who travel home.",
        "body": (
            "<p>A court ruling expected this week would add several more independent media "
            "outlets to the list of “extremist materials”. Here is what that means in practice "
            "for readers who live abroad but travel to Belarus.</p>"
            "<h2>What is punished</h2>"
            "<p>Under current practice, reading such material is not in itself an offence. "
            "Sharing it — reposting, sending links, or keeping it where others can see it — can "
            "lead to fines or administrative arrest, and repeated cases to criminal "
            "charges.</p>"
            "<ul>"
            "<li>Border guards have been known to check phones at crossings.</li>"
            "<li>Channel subscriptions are visible to anyone who holds your phone.</li>"
            "<li>Deleted messages can sometimes be recovered.</li>"
            "</ul>"
            "<p>Lawyers advise clearing subscriptions and chat histories before a trip, or "
            "keeping a separate phone for travel. Our "
            '<a href="https://example.org/digital-safety">digital safety guide</a> explains '
            "how.</p>"
        ),
        "section": "politics",
        "also_in": ["security"],
        "tags": ["Digital safety", "Repression", "Media"],
        "access": "plus",
        "authors": ["alena-karpovich", "maryia-hlebovich"],
        "hours_ago": -48,
        "image": {
            "label": "Explainer",
            "caption": "Reading is not an offence; sharing may be.",
        },
    },
    # The one draft: unfinished, with a note from the desk.
    {
        "headline": "Grain harvest forecast cut after a long dry spell",
        "dek": "Agronomists expect yields a tenth below plan in the south and east.",
        "body": (
            "<p>Agronomists in the Homiel and Mahilioŭ regions expect grain yields about a "
            "tenth below plan after several weeks without significant rain. The agriculture "
            "ministry has not yet revised its official forecast.</p>"
            "<p>Farms that sowed early have fared better than those that sowed late because of "
            "delayed fuel deliveries.</p>"
            "<p>[Desk: add the regional statistics office’s figures before this goes out.]</p>"
        ),
        "section": "economy",
        "tags": ["Agriculture"],
        "authors": ["dzmitry-saroka"],
        "draft": True,
    },
    # Filed by the demo reporter and waiting for an editor.
    {
        "headline": "Night buses in Minsk cut to four routes from December",
        "dek": "The city transport company cites a shortage of drivers.",
        "body": (
            "<p>Minsk will run four night bus routes instead of eleven from December 1, the city "
            "transport company said, blaming a shortage of drivers after a year of departures "
            "abroad.</p>"
            "<p>Shift workers at the automobile plant said the change would add an hour to their "
            "journeys home.</p>"
        ),
        "section": "society",
        "tags": ["Minsk", "Transport"],
        "authors": ["alena-karpovich"],
        "review": True,
    },
    # The lead story in Belarusian and Russian: translations linked to it.
    {
        "headline": "Чарга фур на літоўскай мяжы перавысіла 1200 машын",
        "dek": "Кіроўцы кажуць пра тры-чатыры дні чакання пасля новых мытных праверак.",
        "body": (
            "<p>Чарга грузавікоў, якія чакаюць выезду з Беларусі ў Літву, за ноч перавысіла "
            "1200 машын, паведаміла асацыяцыя перавозчыкаў.</p>"
            "<p>Кіроўцы распавялі BPN, што чакаюць тры-чатыры дні, амаль без вады "
            "і прыбіральняў.</p>"
        ),
        "section": "economy",
        "tags": ["Мяжа"],
        "authors": ["dzmitry-saroka"],
        "language": "be",
        "hours_ago": 2.5,
        "translation_of_lead": True,
    },
    {
        "headline": "Очередь фур на литовской границе превысила 1200 машин",
        "dek": "Водители говорят о трёх-четырёх днях ожидания после новых таможенных проверок.",
        "body": (
            "<p>Очередь грузовиков, ожидающих выезда из Беларуси в Литву, за ночь превысила "
            "1200 машин, сообщила ассоциация перевозчиков.</p>"
            "<p>Водители рассказали BPN, что ждут по три-четыре дня, почти без воды и туалетов.</p>"
        ),
        "section": "economy",
        "tags": ["Граница"],
        "authors": ["dzmitry-saroka"],
        "language": "ru",
        "hours_ago": 2.5,
        "translation_of_lead": True,
    },
]
